// "tool_names": "bare": direct mode with the upstreams' own names, prefixed only where shared;
// and log messages from a stdio upstream relayed to the call that caused them.
#include <gtest/gtest.h>

#include <set>

#include "tests/integration/mcp/mcp_http.hpp"
#include "tests/integration/mcp/mcp_proxy.hpp"

namespace mcpproxy::test {
namespace {

std::set<std::string> names_of(const Json& list) {
    std::set<std::string> names;
    for (const auto& item : list) names.insert(item.value("name", std::string()));
    return names;
}

std::size_t count_of(const std::string& haystack, const std::string& needle) {
    std::size_t count = 0;
    for (auto at = haystack.find(needle); at != std::string::npos;
         at = haystack.find(needle, at + 1)) {
        ++count;
    }
    return count;
}

class BareNamesTest : public ::testing::Test {
protected:
    void SetUp() override { ASSERT_TRUE(proxy_.ready()) << proxy_.log(); }
    McpProxy proxy_{{.routing_mode = "direct", .extra_config = R"("tool_names": "bare")"}};
};

TEST_F(BareNamesTest, ToolsAndPromptsOfTheOnlyUpstreamKeepTheirNames) {
    McpSession session(proxy_.port());
    const auto tools = session.request("tools/list");
    ASSERT_EQ(tools.status, 200) << tools.body;
    const std::set<std::string> expected{"echo", "whoami", "slow", "crash", "announce", "chatty"};
    EXPECT_EQ(names_of(tools.last()["result"]["tools"]), expected) << tools.body;
    EXPECT_EQ(first_text(session.call_tool("echo", {{"text", "bare"}})["result"]), "bare");
    // The prefixed form still reaches the same tool.
    EXPECT_EQ(first_text(session.call_tool("alpha__whoami")["result"]), "alpha");

    const auto prompts = session.request("prompts/list");
    EXPECT_EQ(names_of(prompts.last()["result"]["prompts"]), std::set<std::string>{"greet"});
    const auto greet =
        session.request("prompts/get", {{"name", "greet"}, {"arguments", {{"who", "Ada"}}}});
    ASSERT_TRUE(greet.last().contains("result")) << greet.body;
    EXPECT_EQ(greet.last()["result"]["messages"][0]["content"]["text"], "Hello Ada from alpha");
}

TEST_F(BareNamesTest, AnUnlistedUriGoesToTheOnlyUpstream) {
    McpSession session(proxy_.port());
    const auto read = session.request("resources/read", {{"uri", "test://alpha/echo/hello"}});
    ASSERT_TRUE(read.last().contains("result")) << read.body;
    EXPECT_EQ(read.last()["result"]["contents"][0]["text"], "hello from alpha");
}

TEST_F(BareNamesTest, LogMessagesOfAStdioUpstreamReachTheCallThatCausedThem) {
    McpSession session(proxy_.port());
    const auto reply =
        session.request("tools/call", {{"name", "chatty"}, {"arguments", Json::object()}});
    ASSERT_EQ(reply.status, 200) << reply.body;
    ASSERT_TRUE(reply.is_sse()) << reply.content_type << " " << reply.body;
    ASSERT_EQ(reply.messages.size(), 3u) << reply.body;
    EXPECT_EQ(reply.messages[0]["method"], "notifications/message");
    EXPECT_EQ(reply.messages[0]["params"]["data"], "chatty started");
    EXPECT_EQ(reply.messages[1]["params"]["data"], "chatty finished");
    EXPECT_EQ(first_text(reply.last()["result"]), "chatted");
}

class SharedBareNamesTest : public ::testing::Test {
protected:
    void SetUp() override { ASSERT_TRUE(proxy_.ready()) << proxy_.log(); }
    McpProxy proxy_{{.routing_mode = "direct",
                     .upstreams = {"alpha", "beta"},
                     .extra_config = R"("tool_names": "bare")"}};
};

TEST_F(SharedBareNamesTest, NamesBothUpstreamsOfferArePrefixedWithOneWarningEach) {
    McpSession session(proxy_.port());
    const auto tools = names_of(session.request("tools/list").last()["result"]["tools"]);
    EXPECT_TRUE(tools.contains("alpha__echo") && tools.contains("beta__echo")) << tools.size();
    EXPECT_FALSE(tools.contains("echo"));
    EXPECT_EQ(first_text(session.call_tool("beta__whoami")["result"]), "beta");
    const auto prompts = names_of(session.request("prompts/list").last()["result"]["prompts"]);
    EXPECT_EQ(prompts, (std::set<std::string>{"alpha__greet", "beta__greet"}));
    // A list refresh publishes the same shared names again: still one warning per name.
    EXPECT_EQ(first_text(session.call_tool("alpha__announce")["result"]), "announced");
    const std::string warning = "tool name \"echo\" is offered by more than one upstream";
    ASSERT_TRUE(
        eventually([&] { return count_of(proxy_.log(), warning) >= 1; }, std::chrono::seconds(5)))
        << proxy_.log();
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    EXPECT_EQ(count_of(proxy_.log(), warning), 1u) << proxy_.log();
    EXPECT_EQ(count_of(proxy_.log(), "prompt name \"greet\" is offered by more than one upstream"),
              1u);
    // Two upstreams share the scheme "test": an unlisted URI names neither.
    const auto read = session.request("resources/read", {{"uri", "test://alpha/echo/x"}});
    EXPECT_TRUE(read.last().contains("error")) << read.body;
}

}  // namespace
}  // namespace mcpproxy::test
