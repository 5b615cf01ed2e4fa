#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace mcpproxy::protocol {

using Json = nlohmann::json;

namespace error_code {
inline constexpr int parse_error = -32700;
inline constexpr int invalid_request = -32600;
inline constexpr int method_not_found = -32601;
inline constexpr int invalid_params = -32602;
inline constexpr int internal_error = -32603;
// MCP: a request header (Mcp-Method / Mcp-Name) disagrees with the body.
inline constexpr int header_mismatch = -32020;
// mcpproxy's own server errors (JSON-RPC reserves -32000..-32099 for implementations).
inline constexpr int upstream_unavailable = -32001;
inline constexpr int request_timeout = -32002;
inline constexpr int request_cancelled = -32003;
inline constexpr int forbidden = -32004;
inline constexpr int rate_limited = -32005;
inline constexpr int resource_not_found = -32002;
}  // namespace error_code

enum class MessageKind { request, notification, response, error_response, invalid };

// What a parsed JSON value is as a JSON-RPC 2.0 message.
MessageKind classify(const Json& message);

Json make_result(const Json& id, Json result);
Json make_error(const Json& id, int code, std::string_view message, const Json& data = nullptr);
Json make_request(const Json& id, std::string_view method, Json params);
Json make_notification(std::string_view method, Json params);

struct ParseFailure {
    std::string reason;
};

// Parses text as JSON, refusing nesting deeper than max_depth (a cheap defence against stack
// exhaustion from hostile input). Returns nullopt and fills failure on error.
std::optional<Json> parse_json(std::string_view text, ParseFailure& failure,
                               std::size_t max_depth = 64);

// The request's method name, or "" when absent.
std::string method_of(const Json& message);

}  // namespace mcpproxy::protocol
