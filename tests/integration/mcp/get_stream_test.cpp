// The server-to-client GET stream of a session.
#include <gtest/gtest.h>

#include "tests/integration/mcp/event_stream.hpp"
#include "tests/integration/mcp/mcp_http.hpp"
#include "tests/integration/mcp/mcp_proxy.hpp"

namespace mcpproxy::test {
namespace {

using std::chrono::seconds;

class GetStreamTest : public ::testing::Test {
protected:
    void SetUp() override { ASSERT_TRUE(proxy_.ready()) << proxy_.log(); }
    Headers stream_headers(const McpSession& session) const {
        auto headers = session.headers();
        headers["Accept"] = "text/event-stream";
        return headers;
    }
    McpProxy proxy_{{.routing_mode = "direct"}};
};

TEST_F(GetStreamTest, OpensWith200EventStreamAndDeliversListChanged) {
    McpSession session(proxy_.port());
    EventStream stream(proxy_.port(), "GET", stream_headers(session));
    ASSERT_TRUE(stream.read_until("\r\n\r\n", seconds(5))) << stream.received();
    EXPECT_EQ(stream.status(), 200) << stream.received();
    EXPECT_TRUE(stream.header("Content-Type").starts_with("text/event-stream"))
        << stream.received();
    // The upstream announces a changed tool list; the proxy re-lists and tells the client on
    // its GET stream.
    const auto announced = session.call_tool("alpha__announce");
    ASSERT_TRUE(announced.contains("result")) << announced.dump();
    EXPECT_TRUE(stream.read_until("notifications/tools/list_changed", seconds(5)))
        << stream.received();
}

// The proxy writes an SSE comment on an idle stream every 15 s (not configurable yet), so this
// test takes that long.
TEST_F(GetStreamTest, AnIdleStreamGetsAKeepaliveComment) {
    McpSession session(proxy_.port());
    EventStream stream(proxy_.port(), "GET", stream_headers(session));
    ASSERT_TRUE(stream.read_until("\r\n\r\n", seconds(5))) << stream.received();
    EXPECT_EQ(stream.status(), 200);
    EXPECT_TRUE(stream.read_until(": keepalive", seconds(20))) << stream.received();
    // The stream did not keep the session from serving requests meanwhile.
    EXPECT_EQ(session.request("ping").status, 200);
}

TEST_F(GetStreamTest, GetWithoutASessionIs400AndWithAnUnknownOneIs404) {
    McpSession session(proxy_.port());
    auto headers = stream_headers(session);
    headers.erase("Mcp-Session-Id");
    EXPECT_EQ(mcp_send(proxy_.port(), "GET", "", headers).status, 400);
    headers["Mcp-Session-Id"] = std::string(32, '0');
    EXPECT_EQ(mcp_send(proxy_.port(), "GET", "", headers).status, 404);
}

}  // namespace
}  // namespace mcpproxy::test
