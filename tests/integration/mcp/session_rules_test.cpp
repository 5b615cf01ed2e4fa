// Sessions and protocol versions on /mcp (Streamable HTTP, 2025-03-26 .. 2025-11-25).
#include <gtest/gtest.h>

#include <regex>

#include "tests/integration/mcp/mcp_http.hpp"
#include "tests/integration/mcp/mcp_proxy.hpp"

namespace mcpproxy::test {
namespace {

class SessionRulesTest : public ::testing::Test {
protected:
    void SetUp() override { ASSERT_TRUE(proxy_.ready()) << proxy_.log(); }
    McpProxy proxy_;
};

TEST_F(SessionRulesTest, InitializeAnswers200WithARandomVisibleAsciiSessionId) {
    const auto reply = mcp_post(proxy_.port(), initialize_message(1, kLatestVersion).dump());
    ASSERT_EQ(reply.status, 200) << reply.body;
    EXPECT_TRUE(reply.content_type.starts_with("application/json")) << reply.content_type;
    EXPECT_TRUE(std::regex_match(reply.session_id, std::regex("^[0-9a-f]{32}$")))
        << reply.session_id;
    for (const char c : reply.session_id) EXPECT_TRUE(c >= 0x21 && c <= 0x7e);
    const auto& message = reply.last();
    EXPECT_EQ(message["id"], 1);
    EXPECT_EQ(message["result"]["protocolVersion"], kLatestVersion);
    EXPECT_TRUE(message["result"]["capabilities"].contains("tools"));
    const auto again = mcp_post(proxy_.port(), initialize_message(2, kLatestVersion).dump());
    EXPECT_NE(again.session_id, reply.session_id);
}

class VersionNegotiationTest : public SessionRulesTest,
                               public ::testing::WithParamInterface<const char*> {};

TEST_P(VersionNegotiationTest, ASupportedVersionIsEchoedAndBindsTheSession) {
    const std::string version = GetParam();
    const auto reply = mcp_post(proxy_.port(), initialize_message(1, version).dump());
    ASSERT_EQ(reply.status, 200) << reply.body;
    EXPECT_EQ(reply.last()["result"]["protocolVersion"], version);
    // The session now speaks that version: a request carrying it is served.
    const auto ping =
        mcp_post(proxy_.port(), request_message(2, "ping").dump(),
                 {{"Mcp-Session-Id", reply.session_id}, {"MCP-Protocol-Version", version}});
    EXPECT_EQ(ping.status, 200) << ping.body;
    EXPECT_EQ(ping.last()["result"], Json::object());
}

INSTANTIATE_TEST_SUITE_P(Versions, VersionNegotiationTest,
                         ::testing::Values("2025-03-26", "2025-06-18", "2025-11-25"));

TEST_F(SessionRulesTest, AnUnknownRequestedVersionGetsTheLatest) {
    const auto reply = mcp_post(proxy_.port(), initialize_message(1, "1999-01-01").dump());
    ASSERT_EQ(reply.status, 200) << reply.body;
    EXPECT_EQ(reply.last()["result"]["protocolVersion"], kLatestVersion);
    EXPECT_FALSE(reply.session_id.empty());
}

TEST_F(SessionRulesTest, MissingSessionIdIs400) {
    McpSession session(proxy_.port());
    const auto reply = mcp_post(proxy_.port(), request_message(5, "tools/list").dump(),
                                {{"MCP-Protocol-Version", kLatestVersion}});
    EXPECT_EQ(reply.status, 400) << reply.body;
    EXPECT_TRUE(reply.last().contains("error"));
}

TEST_F(SessionRulesTest, UnknownSessionIdIs404) {
    McpSession session(proxy_.port());
    const auto reply = mcp_post(
        proxy_.port(), request_message(5, "tools/list").dump(),
        {{"Mcp-Session-Id", std::string(32, 'a')}, {"MCP-Protocol-Version", kLatestVersion}});
    EXPECT_EQ(reply.status, 404) << reply.body;
    EXPECT_TRUE(reply.last().contains("error"));
}

TEST_F(SessionRulesTest, DeleteEndsTheSessionAndItsIdIs404Afterwards) {
    McpSession session(proxy_.port());
    ASSERT_EQ(session.request("ping").status, 200);
    EXPECT_EQ(
        mcp_send(proxy_.port(), "DELETE", "", {{"MCP-Protocol-Version", kLatestVersion}}).status,
        400)
        << "DELETE without a session id";
    const auto deleted = mcp_send(proxy_.port(), "DELETE", "", session.headers());
    EXPECT_EQ(deleted.status, 200) << deleted.body;
    const auto after = session.request("ping");
    EXPECT_EQ(after.status, 404) << after.body;
    EXPECT_EQ(mcp_send(proxy_.port(), "DELETE", "", session.headers()).status, 404);
    auto get_headers = session.headers();
    get_headers["Accept"] = "text/event-stream";
    EXPECT_EQ(mcp_send(proxy_.port(), "GET", "", get_headers).status, 404);
}

TEST_F(SessionRulesTest, AnUnsupportedProtocolVersionHeaderIs400) {
    McpSession session(proxy_.port());
    const auto reply =
        session.request("ping", Json::object(), {{"MCP-Protocol-Version", "2024-01-01"}});
    EXPECT_EQ(reply.status, 400) << reply.body;
    EXPECT_TRUE(reply.last().contains("error"));
}

// The header rule holds for every request of the session, not only POSTs (the TypeScript SDK
// server checks it on GET and DELETE too).
TEST_F(SessionRulesTest, AnUnsupportedProtocolVersionHeaderOnGetOrDeleteIs400) {
    McpSession session(proxy_.port());
    auto headers = session.headers();
    headers["MCP-Protocol-Version"] = "2024-01-01";
    headers["Accept"] = "text/event-stream";
    EXPECT_EQ(mcp_send(proxy_.port(), "GET", "", headers).status, 400);
    EXPECT_EQ(mcp_send(proxy_.port(), "DELETE", "", headers).status, 400);
    // The refused DELETE left the session alive.
    EXPECT_EQ(session.request("ping").status, 200);
}

// A supported version other than the session's is served, as the reference SDK server does: the
// MCP conformance suite (server-sse-polling, server-sse-multiple-streams) sends 2025-03-26 on a
// session negotiated at 2025-11-25. The session keeps the version it negotiated.
TEST_F(SessionRulesTest, ASupportedProtocolVersionHeaderOtherThanTheSessionsIsServed) {
    McpSession session(proxy_.port(), "2025-11-25");
    for (const char* version : {"2025-06-18", "2025-03-26"}) {
        const auto reply =
            session.request("tools/list", Json::object(), {{"MCP-Protocol-Version", version}});
        EXPECT_EQ(reply.status, 200) << version << ": " << reply.body;
        EXPECT_TRUE(reply.last().contains("result")) << reply.body;
    }
    // Batches stay refused: the session still speaks 2025-11-25.
    const auto batch =
        session.post(Json::array({Json{{"jsonrpc", "2.0"}, {"id", 90}, {"method", "ping"}}}).dump(),
                     {{"MCP-Protocol-Version", "2025-03-26"}});
    EXPECT_EQ(batch.status, 400) << batch.body;
}

TEST_F(SessionRulesTest, ASupportedProtocolVersionHeaderOtherThanTheSessionsOnGetOrDeleteIsServed) {
    McpSession session(proxy_.port(), "2025-11-25");
    auto headers = session.headers();
    headers["MCP-Protocol-Version"] = "2025-06-18";
    headers["Accept"] = "text/event-stream";
    EXPECT_EQ(mcp_send(proxy_.port(), "DELETE", "", headers).status, 200);
    EXPECT_EQ(session.request("ping").status, 404);  // the DELETE ended the session
}

TEST_F(SessionRulesTest, ANotificationIs202WithAnEmptyBody) {
    McpSession session(proxy_.port());
    const auto reply = session.post(Json{{"jsonrpc", "2.0"},
                                         {"method", "notifications/cancelled"},
                                         {"params", {{"requestId", 99}, {"reason", "test"}}}}
                                        .dump());
    EXPECT_EQ(reply.status, 202);
    EXPECT_TRUE(reply.body.empty()) << reply.body;
}

TEST_F(SessionRulesTest, AJsonRpcResponseIs202WithAnEmptyBody) {
    McpSession session(proxy_.port());
    const auto result = session.post(
        Json{{"jsonrpc", "2.0"}, {"id", "nobody-asked"}, {"result", Json::object()}}.dump());
    EXPECT_EQ(result.status, 202);
    EXPECT_TRUE(result.body.empty()) << result.body;
    const auto error = session.post(
        Json{{"jsonrpc", "2.0"}, {"id", 7}, {"error", {{"code", -1}, {"message", "no"}}}}.dump());
    EXPECT_EQ(error.status, 202);
    EXPECT_TRUE(error.body.empty()) << error.body;
}

}  // namespace
}  // namespace mcpproxy::test
