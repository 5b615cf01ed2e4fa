#pragma once

// Reading a Streamable-HTTP reply: the body is either one JSON-RPC message or an SSE stream whose
// events carry messages (notifications may come before the response).

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bench {

// The JSON-RPC response carrying this id, from a JSON or SSE body; nothing if there is none.
std::optional<boost::json::object> find_response(std::string_view content_type,
                                                 std::string_view body, std::int64_t id);

// Empty when the response carries a result; otherwise what went wrong, in one line.
std::string reply_problem(const boost::json::object& response);

// Empty when the response is a successful tool result; otherwise what went wrong, in one line.
std::string tool_call_problem(const boost::json::object& response);

// The data of each SSE event in a body, in order (multi-line data joined with '\n').
std::vector<std::string> sse_event_data(std::string_view body);

}  // namespace bench
