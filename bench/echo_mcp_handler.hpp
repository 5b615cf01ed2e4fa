#pragma once

// The MCP behaviour shared by the two bench echo servers (HTTP and stdio): just enough of the
// protocol for a client to initialize, list two read-only tools and call them: `echo` (the text
// back) and `repeat` (the text `times` times over, for larger replies).

#include <boost/json/value.hpp>
#include <optional>
#include <string_view>

namespace bench {

// The reply to one JSON-RPC message, or nothing when the message needs none (a notification or
// a response). Never throws on odd input: a malformed request gets a JSON-RPC error.
std::optional<boost::json::value> answer_mcp_message(const boost::json::value& message);

// The reply to a raw message text: a parse error becomes a -32700 error reply.
std::optional<boost::json::value> answer_mcp_text(std::string_view text);

// True for an `initialize` request (the HTTP server then issues a session id).
bool is_initialize_request(const boost::json::value& message);

}  // namespace bench
