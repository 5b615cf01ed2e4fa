// notifications/cancelled from a client: relayed to the upstream for that session's call only.
#include <gtest/gtest.h>

#include "tests/integration/mcp/mcp_http.hpp"
#include "tests/integration/mcp/mcp_proxy.hpp"
#include "tests/integration/mcp/slow_call.hpp"

namespace mcpproxy::test {
namespace {

using namespace std::chrono_literals;

class CancellationTest : public ::testing::Test {
protected:
    void SetUp() override { ASSERT_TRUE(proxy_.ready()) << proxy_.log(); }
    static std::string cancel(int request_id) {
        return Json{{"jsonrpc", "2.0"},
                    {"method", "notifications/cancelled"},
                    {"params", {{"requestId", request_id}, {"reason", "the user gave up"}}}}
            .dump();
    }
    McpProxy proxy_{{.routing_mode = "direct"}};
};

// MCP: the receiver of a cancellation should not answer the cancelled request, so its stream
// just ends.
TEST_F(CancellationTest, ACancelledCallEndsPromptlyWithoutAResponseAndTheUpstreamIsTold) {
    McpSession caller(proxy_.port());
    SlowCall slow(caller, 5, 10'000);
    ASSERT_TRUE(slow.wait_in_flight()) << slow.received();
    EXPECT_EQ(caller.post(cancel(5)).status, 202);
    EXPECT_TRUE(slow.wait_closed(2s)) << "the cancelled call kept running: " << slow.received();
    EXPECT_FALSE(slow.answered()) << slow.received();
    EXPECT_TRUE(eventually(
        [&] { return proxy_.log().find("alpha: cancelled request") != std::string::npos; }, 5s))
        << proxy_.log();
    // The upstream serves the next call as usual.
    const auto echo = caller.call_tool("alpha__echo", {{"text", "still here"}});
    ASSERT_TRUE(echo.contains("result")) << echo.dump();
    EXPECT_EQ(first_text(echo["result"]), "still here");
}

TEST_F(CancellationTest, AnotherSessionCannotCancelACallWithTheSameId) {
    McpSession owner(proxy_.port());
    McpSession stranger(proxy_.port());
    SlowCall slow(owner, 5, 1'500);
    ASSERT_TRUE(slow.wait_in_flight()) << slow.received();
    EXPECT_EQ(stranger.post(cancel(5)).status, 202);
    ASSERT_TRUE(slow.wait_final(5s)) << slow.received();
    const auto final = slow.final_message();
    ASSERT_TRUE(final.contains("result")) << slow.received();
    EXPECT_EQ(first_text(final["result"]), "slept 1500 ms");
    EXPECT_EQ(proxy_.log().find("alpha: cancelled request"), std::string::npos);
}

}  // namespace
}  // namespace mcpproxy::test
