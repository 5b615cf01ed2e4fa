// HTTP-level rules of /mcp: media types, methods, Host and Origin.
#include <gtest/gtest.h>

#include "tests/integration/mcp/mcp_http.hpp"
#include "tests/integration/mcp/mcp_proxy.hpp"

namespace mcpproxy::test {
namespace {

class HttpRulesTest : public ::testing::Test {
protected:
    void SetUp() override { ASSERT_TRUE(proxy_.ready()) << proxy_.log(); }
    McpProxy proxy_;
};

TEST_F(HttpRulesTest, TextPlainContentTypeIs415) {
    McpSession session(proxy_.port());
    const auto reply =
        session.post(request_message(1, "ping").dump(), {{"Content-Type", "text/plain"}});
    EXPECT_EQ(reply.status, 415) << reply.body;
    const auto init = mcp_post(proxy_.port(), initialize_message(1, kLatestVersion).dump(),
                               {{"Content-Type", "text/plain"}});
    EXPECT_EQ(init.status, 415) << init.body;
    EXPECT_TRUE(init.session_id.empty());
}

TEST_F(HttpRulesTest, AcceptTextHtmlOnlyIs406) {
    McpSession session(proxy_.port());
    const auto reply = session.post(request_message(1, "ping").dump(), {{"Accept", "text/html"}});
    EXPECT_EQ(reply.status, 406) << reply.body;
}

// A client that accepts only an event stream gets one, even for a reply with nothing before it.
TEST_F(HttpRulesTest, AnSseOnlyClientGetsItsReplyAsAnEventStream) {
    McpSession session(proxy_.port());
    const auto reply = session.request("ping", Json::object(), {{"Accept", "text/event-stream"}});
    ASSERT_EQ(reply.status, 200) << reply.body;
    EXPECT_TRUE(reply.is_sse()) << reply.content_type;
    // The proxy closes the connection after a stream: it must say so, or a client reuses the
    // pooled connection for its next request and sees it closed under it ("fetch failed").
    EXPECT_EQ(reply.connection, "close");
    ASSERT_EQ(reply.messages.size(), 1u) << reply.body;
    EXPECT_EQ(reply.last()["result"], Json::object());
}

TEST_F(HttpRulesTest, GetWithoutEventStreamAcceptIs406) {
    McpSession session(proxy_.port());
    auto headers = session.headers();
    headers["Accept"] = "application/json";
    EXPECT_EQ(mcp_send(proxy_.port(), "GET", "", headers).status, 406);
    headers.erase("Accept");
    EXPECT_EQ(mcp_send(proxy_.port(), "GET", "", headers).status, 406);
}

TEST_F(HttpRulesTest, PutIs405WithAnAllowHeader) {
    McpSession session(proxy_.port());
    auto headers = session.headers();
    headers["Content-Type"] = "application/json";
    const auto reply = mcp_send(proxy_.port(), "PUT", request_message(1, "ping").dump(), headers);
    EXPECT_EQ(reply.status, 405);
    EXPECT_NE(reply.allow.find("POST"), std::string::npos) << reply.allow;
    EXPECT_NE(reply.allow.find("GET"), std::string::npos) << reply.allow;
    EXPECT_NE(reply.allow.find("DELETE"), std::string::npos) << reply.allow;
    EXPECT_EQ(reply.allow.find("PUT"), std::string::npos) << reply.allow;
}

TEST_F(HttpRulesTest, AForeignHostIs403) {
    for (const char* host : {"evil.example", "evil.example:8080", "localhost.evil.example"}) {
        const auto reply =
            mcp_post(proxy_.port(), initialize_message(1, kLatestVersion).dump(), {{"Host", host}});
        EXPECT_EQ(reply.status, 403) << host << ": " << reply.body;
        EXPECT_TRUE(reply.session_id.empty());
    }
    McpSession session(proxy_.port());
    EXPECT_EQ(session.post(request_message(2, "ping").dump(), {{"Host", "evil.example"}}).status,
              403);
}

TEST_F(HttpRulesTest, AForeignOriginIs403) {
    for (const char* origin : {"http://evil.example", "https://evil.example", "null"}) {
        const auto reply = mcp_post(proxy_.port(), initialize_message(1, kLatestVersion).dump(),
                                    {{"Origin", origin}});
        EXPECT_EQ(reply.status, 403) << origin << ": " << reply.body;
        EXPECT_TRUE(reply.session_id.empty());
    }
    McpSession session(proxy_.port());
    EXPECT_EQ(
        session.post(request_message(2, "ping").dump(), {{"Origin", "http://evil.example"}}).status,
        403);
    auto headers = session.headers();
    headers["Origin"] = "http://evil.example";
    headers["Accept"] = "text/event-stream";
    EXPECT_EQ(mcp_send(proxy_.port(), "GET", "", headers).status, 403);
    EXPECT_EQ(mcp_send(proxy_.port(), "DELETE", "", headers).status, 403);
    // The refused DELETE did not end the session.
    EXPECT_EQ(session.request("ping").status, 200);
}

TEST_F(HttpRulesTest, ALoopbackOriginIsAllowedOnTheLoopbackListener) {
    for (const char* origin :
         {"http://localhost:1234", "http://127.0.0.1:5173", "http://[::1]:3000"}) {
        const auto reply = mcp_post(proxy_.port(), initialize_message(1, kLatestVersion).dump(),
                                    {{"Origin", origin}});
        EXPECT_EQ(reply.status, 200) << origin << ": " << reply.body;
        EXPECT_FALSE(reply.session_id.empty()) << origin;
    }
}

}  // namespace
}  // namespace mcpproxy::test
