#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace mcpproxy::mcp {

// One SSE "message" event carrying a JSON-RPC message (compact JSON never contains newlines).
inline std::string sse_event(const nlohmann::json& message) {
    std::string out = "event: message\ndata: ";
    out += message.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    out += "\n\n";
    return out;
}

inline constexpr const char* kSseKeepalive = ": keepalive\n\n";

}  // namespace mcpproxy::mcp
