// routing_mode "direct": every upstream tool, prompt and resource exposed under its server's name.
#include <gtest/gtest.h>

#include <set>

#include "tests/integration/mcp/mcp_http.hpp"
#include "tests/integration/mcp/mcp_proxy.hpp"

namespace mcpproxy::test {
namespace {

class DirectModeTest : public ::testing::Test {
protected:
    void SetUp() override { ASSERT_TRUE(proxy_.ready()) << proxy_.log(); }
    McpProxy proxy_{{.routing_mode = "direct"}};
};

TEST_F(DirectModeTest, ToolsListNamesServerPrefixedToolsWithTheirAnnotations) {
    McpSession session(proxy_.port());
    const auto reply = session.request("tools/list");
    ASSERT_EQ(reply.status, 200) << reply.body;
    std::map<std::string, Json> tools;
    for (const auto& t : reply.last()["result"]["tools"]) tools[t["name"]] = t;
    const std::set<std::string> expected{"alpha__echo",  "alpha__whoami",   "alpha__slow",
                                         "alpha__crash", "alpha__announce", "alpha__chatty"};
    std::set<std::string> names;
    for (const auto& [name, t] : tools) names.insert(name);
    EXPECT_EQ(names, expected);
    const auto& echo = tools["alpha__echo"];
    EXPECT_EQ(echo["annotations"]["readOnlyHint"], true) << echo.dump();
    EXPECT_EQ(echo["annotations"]["title"], "Echo") << echo.dump();
    EXPECT_EQ(echo["description"], "Echo the given text back unchanged");
    EXPECT_EQ(echo["inputSchema"]["properties"]["text"]["type"], "string") << echo.dump();
    EXPECT_EQ(tools["alpha__crash"]["annotations"]["destructiveHint"], true);
}

TEST_F(DirectModeTest, ToolsCallReachesTheUpstream) {
    McpSession session(proxy_.port());
    const auto message = session.call_tool("alpha__echo", {{"text", "hello, direct"}});
    ASSERT_TRUE(message.contains("result")) << message.dump();
    EXPECT_EQ(first_text(message["result"]), "hello, direct");
    EXPECT_EQ(first_text(session.call_tool("alpha__whoami")["result"]), "alpha");
}

TEST_F(DirectModeTest, AnUnknownToolIsInvalidParams) {
    McpSession session(proxy_.port());
    for (const char* name : {"alpha__nope", "nobody__echo", "echo"}) {
        const auto reply =
            session.request("tools/call", {{"name", name}, {"arguments", Json::object()}});
        EXPECT_EQ(reply.status, 200) << reply.body;
        EXPECT_EQ(reply.last()["error"]["code"], -32602) << name << ": " << reply.body;
    }
}

TEST_F(DirectModeTest, ProgressIsStreamedAsSseWithTheClientsOwnTokenBeforeTheResult) {
    McpSession session(proxy_.port());
    for (const Json& token : {Json("client-token-7"), Json(42)}) {
        const auto reply = session.request("tools/call", {{"name", "alpha__slow"},
                                                          {"arguments", {{"ms", 400}}},
                                                          {"_meta", {{"progressToken", token}}}});
        ASSERT_EQ(reply.status, 200) << reply.body;
        EXPECT_TRUE(reply.is_sse()) << reply.content_type;
        ASSERT_GE(reply.messages.size(), 2u) << reply.body;
        std::vector<double> progress;
        for (std::size_t i = 0; i + 1 < reply.messages.size(); ++i) {
            const auto& n = reply.messages[i];
            EXPECT_EQ(n["method"], "notifications/progress") << n.dump();
            EXPECT_EQ(n["params"]["progressToken"], token) << n.dump();
            progress.push_back(n["params"].value("progress", -1.0));
        }
        EXPECT_TRUE(std::is_sorted(progress.begin(), progress.end()));
        const auto& final = reply.last();
        EXPECT_FALSE(final.contains("method")) << final.dump();
        ASSERT_TRUE(final.contains("result")) << final.dump();
        EXPECT_EQ(first_text(final["result"]), "slept 400 ms");
    }
}

TEST_F(DirectModeTest, AJsonOnlyClientGetsTheResultAsJsonWithoutProgress) {
    McpSession session(proxy_.port());
    const auto reply = session.request("tools/call",
                                       {{"name", "alpha__slow"},
                                        {"arguments", {{"ms", 200}}},
                                        {"_meta", {{"progressToken", "t"}}}},
                                       {{"Accept", "application/json"}});
    ASSERT_EQ(reply.status, 200) << reply.body;
    EXPECT_TRUE(reply.content_type.starts_with("application/json")) << reply.content_type;
    ASSERT_EQ(reply.messages.size(), 1u);
    EXPECT_EQ(first_text(reply.last()["result"]), "slept 200 ms");
}

TEST_F(DirectModeTest, PromptsAndResourcesAreAggregatedAndRouted) {
    McpSession session(proxy_.port());
    const auto prompts = session.request("prompts/list").last()["result"]["prompts"];
    ASSERT_EQ(prompts.size(), 1u) << prompts.dump();
    EXPECT_EQ(prompts[0]["name"], "alpha__greet");
    const auto prompt =
        session.request("prompts/get", {{"name", "alpha__greet"}, {"arguments", {{"who", "Ada"}}}})
            .last();
    ASSERT_TRUE(prompt.contains("result")) << prompt.dump();
    EXPECT_EQ(prompt["result"]["messages"][0]["content"]["text"], "Hello Ada from alpha");

    const auto resources = session.request("resources/list").last()["result"]["resources"];
    ASSERT_EQ(resources.size(), 1u) << resources.dump();
    EXPECT_EQ(resources[0]["uri"], "test://alpha/readme");
    const auto read = session.request("resources/read", {{"uri", "test://alpha/readme"}}).last();
    ASSERT_TRUE(read.contains("result")) << read.dump();
    EXPECT_EQ(read["result"]["contents"][0]["text"], "readme of alpha");
    const auto missing =
        session.request("resources/read", {{"uri", "test://nobody/readme"}}).last();
    EXPECT_TRUE(missing.contains("error")) << missing.dump();
}

}  // namespace
}  // namespace mcpproxy::test
