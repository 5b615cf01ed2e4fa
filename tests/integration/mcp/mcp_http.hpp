#pragma once

#include <chrono>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace mcpproxy::test {

using Json = nlohmann::json;
// Request headers; a header given an empty value is left out of the request.
using Headers = std::map<std::string, std::string>;

inline constexpr const char* kLatestVersion = "2025-11-25";
inline constexpr const char* kStatelessVersion = "2026-07-28";

// One /mcp reply: the status, the headers the tests look at, and the JSON-RPC messages in the
// body (the JSON body itself, or the data of every SSE event).
struct McpReply {
    int status = 0;
    std::string content_type;
    std::string session_id;
    std::string allow;
    std::string connection;
    std::string body;
    std::vector<Json> messages;

    [[nodiscard]] bool is_sse() const { return content_type.starts_with("text/event-stream"); }
    // The last message: the response of a single request. Throws when there is none.
    [[nodiscard]] const Json& last() const;
};

// The data of every SSE "message" event in text, parsed as JSON.
std::vector<Json> sse_messages(const std::string& text);

// POSTs body to /mcp. Starts from Content-Type: application/json and
// Accept: application/json, text/event-stream; headers override (empty value: omit).
McpReply mcp_post(unsigned short port, const std::string& body, const Headers& headers = {},
                  std::chrono::milliseconds timeout = std::chrono::seconds(30));
// Any method on /mcp with exactly the headers given (plus Host). A GET that opens an event
// stream never completes: it fails after the timeout (use EventStream to read one).
McpReply mcp_send(unsigned short port, const std::string& method, const std::string& body,
                  const Headers& headers,
                  std::chrono::milliseconds timeout = std::chrono::seconds(10));

Json request_message(const Json& id, const std::string& method, Json params = Json::object());
Json initialize_message(const Json& id, const std::string& version);
// The text of the first content item of a tools/call result.
std::string first_text(const Json& tool_result);

// One client session over the real HTTP front end (one per thread; not thread-safe).
class McpSession {
public:
    // Runs initialize (and notifications/initialized); throws when it does not answer 200 with
    // a session id.
    explicit McpSession(unsigned short port, std::string version = kLatestVersion);

    [[nodiscard]] const std::string& id() const { return id_; }
    [[nodiscard]] const std::string& version() const { return version_; }
    [[nodiscard]] unsigned short port() const { return port_; }
    // The session's headers: Mcp-Session-Id and MCP-Protocol-Version.
    [[nodiscard]] Headers headers() const;

    // A request with the session's headers plus extra (which win).
    McpReply request(const std::string& method, Json params = Json::object(),
                     const Headers& extra = {});
    // A raw body with the session's headers plus extra.
    McpReply post(const std::string& body, const Headers& extra = {});
    // tools/call; returns the final JSON-RPC message (result or error).
    Json call_tool(const std::string& name, Json arguments = Json::object());
    [[nodiscard]] Json next_id() { return next_id_++; }

private:
    unsigned short port_;
    std::string version_;
    std::string id_;
    int next_id_ = 1;
};

}  // namespace mcpproxy::test
