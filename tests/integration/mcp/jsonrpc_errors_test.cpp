// JSON-RPC error codes and their HTTP statuses on /mcp, batches, and hostile bodies.
#include <gtest/gtest.h>

#include "tests/integration/mcp/mcp_http.hpp"
#include "tests/integration/mcp/mcp_proxy.hpp"

namespace mcpproxy::test {
namespace {

class JsonRpcErrorsTest : public ::testing::Test {
protected:
    void SetUp() override { ASSERT_TRUE(proxy_.ready()) << proxy_.log(); }
    McpProxy proxy_;
};

int error_code(const McpReply& reply) {
    return reply.last()["error"].value("code", 0);
}

TEST_F(JsonRpcErrorsTest, MalformedJsonIs400WithParseError) {
    McpSession session(proxy_.port());
    const auto reply = session.post(R"({"jsonrpc": "2.0", "id": 1, "method": )");
    EXPECT_EQ(reply.status, 400) << reply.body;
    EXPECT_EQ(error_code(reply), -32700);
    EXPECT_TRUE(reply.last()["id"].is_null());
    // Before any session too.
    const auto first = mcp_post(proxy_.port(), "{not json");
    EXPECT_EQ(first.status, 400) << first.body;
    EXPECT_EQ(error_code(first), -32700);
}

TEST_F(JsonRpcErrorsTest, ValidJsonThatIsNotJsonRpcIs400WithInvalidRequest) {
    McpSession session(proxy_.port());
    for (const char* body :
         {R"({"hello": "world"})", R"({"jsonrpc": "1.0", "id": 1, "method": "ping"})",
          R"({"jsonrpc": "2.0", "id": 1, "method": 42})", "42", R"("ping")"}) {
        const auto reply = session.post(body);
        EXPECT_EQ(reply.status, 400) << body << " -> " << reply.body;
        EXPECT_EQ(error_code(reply), -32600) << body;
    }
}

// The official TypeScript SDK server (StreamableHTTPServerTransport) sends a JSON-RPC error that
// comes from method dispatch - unknown method, invalid params - as an ordinary response, HTTP 200
// (or an SSE event); it uses 4xx only for transport-level faults (bad JSON, bad session, bad
// headers). mcpproxy does the same, and the SDK client expects it.
TEST_F(JsonRpcErrorsTest, UnknownMethodIsMethodNotFoundWithStatus200) {
    McpSession session(proxy_.port());
    const auto reply = session.request("tools/frobnicate");
    EXPECT_EQ(reply.status, 200) << reply.body;
    EXPECT_EQ(error_code(reply), -32601);
    EXPECT_EQ(reply.last()["id"], 1);
}

TEST_F(JsonRpcErrorsTest, ToolsCallWithoutANameIsInvalidParams) {
    McpSession session(proxy_.port());
    const auto reply = session.request("tools/call", {{"arguments", Json::object()}});
    EXPECT_EQ(reply.status, 200) << reply.body;
    EXPECT_EQ(error_code(reply), -32602);
    const auto not_string = session.request("tools/call", {{"name", 5}});
    EXPECT_EQ(error_code(not_string), -32602);
}

TEST_F(JsonRpcErrorsTest, DeepNestingIs400ParseErrorAndTheProxyStaysUp) {
    McpSession session(proxy_.port());
    for (const std::string& body :
         {std::string(10'000, '['), std::string(10'000, '[') + std::string(10'000, ']'),
          R"({"jsonrpc":"2.0","id":1,"method":"ping","params":{"a":)" +
              std::string(100'000, '[')}) {
        const auto reply = session.post(body);
        EXPECT_EQ(reply.status, 400) << body.substr(0, 80);
        EXPECT_EQ(error_code(reply), -32700) << reply.body;
    }
    const auto ping = session.request("ping");
    EXPECT_EQ(ping.status, 200) << ping.body;
    EXPECT_EQ(proxy_.process().wait_exit(std::chrono::milliseconds(0)), -1) << "the proxy exited";
}

TEST_F(JsonRpcErrorsTest, BatchesAreRejectedFrom2025_06_18) {
    for (const char* version : {"2025-06-18", "2025-11-25"}) {
        McpSession session(proxy_.port(), version);
        const auto reply = session.post(
            Json::array({request_message(1, "ping"), request_message(2, "ping")}).dump());
        EXPECT_EQ(reply.status, 400) << version << ": " << reply.body;
        EXPECT_EQ(error_code(reply), -32600) << version;
    }
}

TEST_F(JsonRpcErrorsTest, BatchesAreAnsweredIn2025_03_26WithOneResponsePerRequest) {
    McpSession session(proxy_.port(), "2025-03-26");
    ASSERT_EQ(session.version(), "2025-03-26");
    const Json batch =
        Json::array({request_message("a", "ping"),
                     Json{{"jsonrpc", "2.0"},
                          {"method", "notifications/cancelled"},
                          {"params", {{"requestId", 404}}}},
                     request_message(2, "tools/list"), request_message(3, "no/such/method"),
                     Json{{"hello", "world"}}});
    const auto reply = session.post(batch.dump());
    ASSERT_EQ(reply.status, 200) << reply.body;
    const auto& responses = reply.last();
    ASSERT_TRUE(responses.is_array()) << reply.body;
    ASSERT_EQ(responses.size(), 4u) << reply.body;
    std::map<std::string, Json> by_id;
    for (const auto& r : responses) by_id[r["id"].dump()] = r;
    ASSERT_EQ(by_id.size(), 4u);
    EXPECT_EQ(by_id["\"a\""]["result"], Json::object());
    EXPECT_TRUE(by_id["2"]["result"]["tools"].is_array());
    EXPECT_EQ(by_id["3"]["error"]["code"], -32601);
    EXPECT_EQ(by_id["null"]["error"]["code"], -32600) << "the member that is not JSON-RPC";
}

}  // namespace
}  // namespace mcpproxy::test
