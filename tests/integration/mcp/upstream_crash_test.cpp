// An upstream that dies in the middle of a call: the caller is told at once, the proxy restarts
// the upstream (back-off 0.5 s), and the next call works.
#include <gtest/gtest.h>
#include <signal.h>

#include "tests/integration/mcp/mcp_http.hpp"
#include "tests/integration/mcp/mcp_proxy.hpp"
#include "tests/integration/mcp/slow_call.hpp"

namespace mcpproxy::test {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

// Polls call until it answers with text (the upstream was restarted) or the limit passes.
bool answers_again(McpSession& session, const std::string& tool, const std::string& text) {
    return eventually(
        [&] {
            const auto m = session.call_tool(tool, {{"text", text}});
            return m.contains("result") && first_text(m["result"]) == text;
        },
        10s, 100ms);
}

class UpstreamCrashTest : public ::testing::Test {
protected:
    void SetUp() override { ASSERT_TRUE(proxy_.ready()) << proxy_.log(); }
    McpProxy proxy_{{.routing_mode = "direct"}};
};

TEST_F(UpstreamCrashTest, ACrashMidCallFailsTheCallerPromptlyAndTheUpstreamComesBack) {
    const auto old_pids = proxy_.upstream_pids("alpha");
    ASSERT_EQ(old_pids.size(), 1u) << proxy_.log();
    McpSession caller(proxy_.port());
    SlowCall slow(caller, 77, 10'000);
    ASSERT_TRUE(slow.wait_in_flight()) << slow.received();

    McpSession other(proxy_.port());
    const auto crash = other.call_tool("alpha__crash");
    EXPECT_TRUE(crash.contains("error")) << crash.dump();
    const auto waited = slow.wait_final();
    ASSERT_TRUE(waited) << "the slow caller was not told: " << slow.received();
    EXPECT_LT(*waited, 2s);
    const auto final = slow.final_message();
    ASSERT_TRUE(final.contains("error")) << slow.received();
    EXPECT_TRUE(final["error"]["code"].is_number_integer());

    EXPECT_TRUE(answers_again(other, "alpha__echo", "back again")) << proxy_.log();
    const auto new_pids = proxy_.upstream_pids("alpha");
    ASSERT_EQ(new_pids.size(), 1u);
    EXPECT_NE(new_pids[0], old_pids[0]);
    EXPECT_NE(proxy_.log().find("crashing on request"), std::string::npos)
        << "the upstream's stderr should reach the log";
}

TEST_F(UpstreamCrashTest, AKilledUpstreamFailsTheCallerPromptlyAndTheUpstreamComesBack) {
    const auto old_pids = proxy_.upstream_pids("alpha");
    ASSERT_EQ(old_pids.size(), 1u) << proxy_.log();
    McpSession caller(proxy_.port());
    SlowCall slow(caller, 77, 10'000);
    ASSERT_TRUE(slow.wait_in_flight()) << slow.received();

    ASSERT_EQ(::kill(old_pids[0], SIGKILL), 0);
    const auto waited = slow.wait_final();
    ASSERT_TRUE(waited) << "the slow caller was not told: " << slow.received();
    EXPECT_LT(*waited, 2s);
    EXPECT_TRUE(slow.final_message().contains("error")) << slow.received();

    // The same session that saw the failure carries on once the upstream is back.
    EXPECT_TRUE(answers_again(caller, "alpha__echo", "after the kill")) << proxy_.log();
    const auto new_pids = proxy_.upstream_pids("alpha");
    ASSERT_EQ(new_pids.size(), 1u);
    EXPECT_NE(new_pids[0], old_pids[0]);
}

TEST(UpstreamIsolationTest, OtherUpstreamsKeepAnsweringWhileOneIsDown) {
    McpProxy proxy({.routing_mode = "direct", .upstreams = {"alpha", "beta"}});
    ASSERT_TRUE(proxy.ready()) << proxy.log();
    McpSession session(proxy.port());
    EXPECT_TRUE(session.call_tool("alpha__crash").contains("error"));
    // Right after the crash, while alpha is restarting, beta answers without delay.
    for (int i = 0; i < 5; ++i) {
        const auto started = Clock::now();
        const auto m = session.call_tool("beta__whoami");
        ASSERT_TRUE(m.contains("result")) << m.dump();
        EXPECT_EQ(first_text(m["result"]), "beta");
        EXPECT_LT(Clock::now() - started, 1s);
    }
    EXPECT_TRUE(answers_again(session, "alpha__echo", "alpha is back")) << proxy.log();
}

}  // namespace
}  // namespace mcpproxy::test
