#include "kernel/upstream/http/http_request_head.hpp"

#include <gtest/gtest.h>

namespace mcpproxy::upstream::http {
namespace {

const UpstreamUrl kUrl = parse_upstream_url("http://127.0.0.1:8000/mcp?x=1");

TEST(RequestHead, PostCarriesTheMcpHeaders) {
    RequestHeadBuilder heads(kUrl, {{"Authorization", "Bearer abc"}});
    const std::string head = heads.post(42, {"sess-1", "2025-06-18", {}, {}});
    EXPECT_TRUE(head.starts_with("POST /mcp?x=1 HTTP/1.1\r\nHost: 127.0.0.1:8000\r\n")) << head;
    EXPECT_NE(head.find("Authorization: Bearer abc\r\n"), std::string::npos);
    EXPECT_NE(head.find("Mcp-Session-Id: sess-1\r\n"), std::string::npos);
    EXPECT_NE(head.find("MCP-Protocol-Version: 2025-06-18\r\n"), std::string::npos);
    EXPECT_NE(head.find("Accept: application/json, text/event-stream\r\n"), std::string::npos);
    EXPECT_NE(head.find("Content-Type: application/json\r\n"), std::string::npos);
    EXPECT_TRUE(head.ends_with("Content-Length: 42\r\n\r\n")) << head;
}

TEST(RequestHead, LeavesOutWhatIsNotKnownYet) {
    RequestHeadBuilder heads(kUrl, {});
    const std::string head = heads.post(2, {});
    EXPECT_EQ(head.find("Mcp-Session-Id"), std::string::npos);
    EXPECT_EQ(head.find("MCP-Protocol-Version"), std::string::npos);
    EXPECT_NE(head.find("User-Agent: mcpproxy\r\n"), std::string::npos);
}

TEST(RequestHead, GetAsksForAnEventStreamAndResumes) {
    RequestHeadBuilder heads(kUrl, {});
    const std::string head = heads.get_event_stream({"s", "2025-11-25", "ev-9", {}});
    EXPECT_TRUE(head.starts_with("GET /mcp?x=1 HTTP/1.1\r\n"));
    EXPECT_NE(head.find("Accept: text/event-stream\r\n"), std::string::npos);
    EXPECT_NE(head.find("Last-Event-ID: ev-9\r\n"), std::string::npos);
    EXPECT_TRUE(head.ends_with("\r\n\r\n"));
}

TEST(RequestHead, CredentialLinesFromAPluginGoOnEveryMethod) {
    RequestHeadBuilder heads(kUrl, {});
    const std::string lines = heads.render_extra({{"Authorization", "Bearer plugin"}});
    EXPECT_EQ(lines, "Authorization: Bearer plugin\r\n");
    for (const auto& head :
         {heads.post(2, {{}, {}, {}, lines}), heads.get_event_stream({"s", {}, {}, lines}),
          heads.delete_session({"s", {}, {}, lines})}) {
        EXPECT_NE(head.find("\r\nAuthorization: Bearer plugin\r\n"), std::string::npos) << head;
    }
}

TEST(RequestHead, ConfiguredAndTransportOwnedHeadersBeatAPlugins) {
    RequestHeadBuilder heads(kUrl, {{"X-Api-Key", "configured"}});
    EXPECT_TRUE(heads.configures("x-api-key"));
    EXPECT_FALSE(heads.configures("authorization"));
    const std::string lines = heads.render_extra({{"x-api-key", "plugin"},
                                                  {"Host", "evil"},
                                                  {"Mcp-Session-Id", "forged"},
                                                  {"User-Agent", "plugin"},
                                                  {"Authorization", "Bearer ok"}});
    EXPECT_EQ(lines, "Authorization: Bearer ok\r\n");
}

TEST(RequestHead, ConfiguredUserAgentWins) {
    RequestHeadBuilder heads(kUrl, {{"User-Agent", "custom/1"}});
    const std::string head = heads.delete_session({"s", {}, {}});
    EXPECT_NE(head.find("User-Agent: custom/1\r\n"), std::string::npos);
    EXPECT_EQ(head.find("User-Agent: mcpproxy"), std::string::npos);
    EXPECT_TRUE(head.starts_with("DELETE "));
}

TEST(RequestHead, RefusesHeadersTheTransportOwns) {
    for (const char* name :
         {"Host", "content-type", "Accept", "Mcp-Session-Id", "Content-Length"}) {
        EXPECT_THROW(RequestHeadBuilder(kUrl, {{name, "x"}}), std::invalid_argument) << name;
    }
}

TEST(RequestHead, RefusesInjectionWithoutRepeatingTheValue) {
    try {
        RequestHeadBuilder(kUrl, {{"X-Token", "secret-value\r\nX-Evil: 1"}});
        FAIL() << "accepted a line break";
    } catch (const std::invalid_argument& e) {
        const std::string what = e.what();
        EXPECT_NE(what.find("X-Token"), std::string::npos) << what;
        EXPECT_EQ(what.find("secret-value"), std::string::npos) << what;
    }
    EXPECT_THROW(RequestHeadBuilder(kUrl, {{"Bad Name", "v"}}), std::invalid_argument);
}

TEST(RequestHead, SessionIdsMustBeVisibleAscii) {
    EXPECT_TRUE(is_visible_ascii("a1-B2_~"));
    EXPECT_FALSE(is_visible_ascii(""));
    EXPECT_FALSE(is_visible_ascii("a b"));
    EXPECT_FALSE(is_visible_ascii("a\r\n"));
}

}  // namespace
}  // namespace mcpproxy::upstream::http
