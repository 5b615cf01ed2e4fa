// routing_mode "retrieve_tools" (the default): search, then call through the intent-checked
// variants.
#include <gtest/gtest.h>

#include <set>

#include "tests/integration/mcp/mcp_http.hpp"
#include "tests/integration/mcp/mcp_proxy.hpp"

namespace mcpproxy::test {
namespace {

class RetrieveToolsTest : public ::testing::Test {
protected:
    void SetUp() override { ASSERT_TRUE(proxy_.ready()) << proxy_.log(); }
    McpProxy proxy_;  // the default routing mode
};

TEST_F(RetrieveToolsTest, ToolsListIsExactlyTheFourMetaTools) {
    McpSession session(proxy_.port());
    const auto tools = session.request("tools/list").last()["result"]["tools"];
    std::set<std::string> names;
    for (const auto& t : tools) names.insert(t["name"]);
    EXPECT_EQ(tools.size(), 4u) << tools.dump();
    EXPECT_EQ(names, (std::set<std::string>{"retrieve_tools", "call_tool_read", "call_tool_write",
                                            "call_tool_destructive"}));
}

TEST_F(RetrieveToolsTest, RetrieveToolsFindsTheEchoTool) {
    McpSession session(proxy_.port());
    const auto message = session.call_tool("retrieve_tools", {{"query", "echo text back"}});
    ASSERT_TRUE(message.contains("result")) << message.dump();
    const auto& result = message["result"];
    EXPECT_FALSE(result.value("isError", false)) << result.dump();
    const auto& found = result["structuredContent"]["tools"];
    ASSERT_FALSE(found.empty()) << result.dump();
    EXPECT_EQ(found[0]["name"], "alpha:echo") << found.dump();
    EXPECT_EQ(found[0]["call_with"], "call_tool_read");
    EXPECT_EQ(found[0]["annotations"]["readOnlyHint"], true);
    EXPECT_EQ(found[0]["inputSchema"]["properties"]["text"]["type"], "string");
}

TEST_F(RetrieveToolsTest, CallToolReadCallsAReadOnlyTool) {
    McpSession session(proxy_.port());
    const auto message = session.call_tool(
        "call_tool_read", {{"name", "alpha:echo"}, {"args", {{"text", "via meta"}}}});
    ASSERT_TRUE(message.contains("result")) << message.dump();
    EXPECT_FALSE(message["result"].value("isError", false)) << message.dump();
    EXPECT_EQ(first_text(message["result"]), "via meta");
}

TEST_F(RetrieveToolsTest, CallToolReadOnAToolThatIsNotReadOnlyIsAToolErrorNamingTheVariant) {
    McpSession session(proxy_.port());
    const auto write =
        session.call_tool("call_tool_read", {{"name", "alpha:slow"}, {"args", {{"ms", 1}}}});
    ASSERT_TRUE(write.contains("result")) << write.dump();
    EXPECT_EQ(write["result"]["isError"], true) << write.dump();
    EXPECT_NE(first_text(write["result"]).find("call_tool_write"), std::string::npos)
        << write.dump();

    const auto destructive = session.call_tool("call_tool_read", {{"name", "alpha:crash"}});
    ASSERT_TRUE(destructive.contains("result")) << destructive.dump();
    EXPECT_EQ(destructive["result"]["isError"], true) << destructive.dump();
    EXPECT_NE(first_text(destructive["result"]).find("call_tool_destructive"), std::string::npos)
        << destructive.dump();
    // The refused call never reached the upstream: it is still the same, running process.
    EXPECT_EQ(first_text(session.call_tool("call_tool_read", {{"name", "alpha:whoami"}})["result"]),
              "alpha");
    EXPECT_EQ(proxy_.log().find("crashing on request"), std::string::npos);
}

TEST_F(RetrieveToolsTest, UpstreamToolNamesAreNotCallableDirectly) {
    McpSession session(proxy_.port());
    const auto reply =
        session.request("tools/call", {{"name", "alpha__echo"}, {"arguments", {{"text", "x"}}}});
    EXPECT_EQ(reply.last()["error"]["code"], -32602) << reply.body;
}

}  // namespace
}  // namespace mcpproxy::test
