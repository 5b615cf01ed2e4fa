// The stateless 2026-07-28 revision: no handshake, Mcp-Method / Mcp-Name checked against the body.
#include <gtest/gtest.h>

#include "tests/integration/mcp/mcp_http.hpp"
#include "tests/integration/mcp/mcp_proxy.hpp"

namespace mcpproxy::test {
namespace {

class StatelessTest : public ::testing::Test {
protected:
    void SetUp() override { ASSERT_TRUE(proxy_.ready()) << proxy_.log(); }
    McpProxy proxy_{{.routing_mode = "direct"}};
};

Json echo_call(const std::string& text) {
    return request_message(11, "tools/call",
                           {{"name", "alpha__echo"}, {"arguments", {{"text", text}}}});
}

TEST_F(StatelessTest, ToolsCallWithMatchingHeadersWorksWithoutInitialize) {
    const auto reply = mcp_post(proxy_.port(), echo_call("stateless hello").dump(),
                                {{"MCP-Protocol-Version", kStatelessVersion},
                                 {"Mcp-Method", "tools/call"},
                                 {"Mcp-Name", "alpha__echo"}});
    ASSERT_EQ(reply.status, 200) << reply.body;
    EXPECT_TRUE(reply.session_id.empty()) << "the stateless revision has no sessions";
    const auto& message = reply.last();
    EXPECT_EQ(message["id"], 11);
    ASSERT_TRUE(message.contains("result")) << message.dump();
    EXPECT_EQ(first_text(message["result"]), "stateless hello");
    const auto list =
        mcp_post(proxy_.port(), request_message(12, "tools/list").dump(),
                 {{"MCP-Protocol-Version", kStatelessVersion}, {"Mcp-Method", "tools/list"}});
    ASSERT_EQ(list.status, 200) << list.body;
    EXPECT_FALSE(list.last()["result"]["tools"].empty());
}

TEST_F(StatelessTest, AMismatchingMcpNameIs400WithHeaderMismatchError) {
    const auto reply = mcp_post(proxy_.port(), echo_call("x").dump(),
                                {{"MCP-Protocol-Version", kStatelessVersion},
                                 {"Mcp-Method", "tools/call"},
                                 {"Mcp-Name", "alpha__crash"}});
    EXPECT_EQ(reply.status, 400) << reply.body;
    EXPECT_EQ(reply.last()["error"]["code"], -32020);
    EXPECT_EQ(reply.last()["id"], 11);
}

TEST_F(StatelessTest, AMismatchingOrMissingMcpMethodIs400WithHeaderMismatchError) {
    const auto wrong = mcp_post(proxy_.port(), echo_call("x").dump(),
                                {{"MCP-Protocol-Version", kStatelessVersion},
                                 {"Mcp-Method", "tools/list"},
                                 {"Mcp-Name", "alpha__echo"}});
    EXPECT_EQ(wrong.status, 400) << wrong.body;
    EXPECT_EQ(wrong.last()["error"]["code"], -32020);
    const auto missing = mcp_post(proxy_.port(), echo_call("x").dump(),
                                  {{"MCP-Protocol-Version", kStatelessVersion}});
    EXPECT_EQ(missing.status, 400) << missing.body;
    EXPECT_EQ(missing.last()["error"]["code"], -32020);
}

TEST_F(StatelessTest, GetIs405) {
    const auto reply =
        mcp_send(proxy_.port(), "GET", "",
                 {{"MCP-Protocol-Version", kStatelessVersion}, {"Accept", "text/event-stream"}});
    EXPECT_EQ(reply.status, 405);
    EXPECT_EQ(reply.allow, "POST");
}

// The revision is POST only: there is no session to end either.
TEST_F(StatelessTest, DeleteIs405) {
    const auto reply =
        mcp_send(proxy_.port(), "DELETE", "", {{"MCP-Protocol-Version", kStatelessVersion}});
    EXPECT_EQ(reply.status, 405);
    EXPECT_EQ(reply.allow, "POST");
}

}  // namespace
}  // namespace mcpproxy::test
