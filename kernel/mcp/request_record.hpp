#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

namespace mcpproxy::mcp {

// One finished MCP request as the activity log and metrics see it. Never holds secrets.
struct RequestRecord {
    std::chrono::system_clock::time_point time;
    std::string request_id;
    std::string identity_name;
    std::string identity_kind;
    std::string client_address;
    std::string listener;
    std::string method;
    std::string server;
    std::string tool;
    bool denied = false;
    std::string reason;
    int http_status = 0;
    std::optional<int> jsonrpc_error;
    std::chrono::microseconds latency{0};
    std::uint64_t bytes_in = 0;
    std::uint64_t bytes_out = 0;
};

using RecordSink = std::function<void(RequestRecord)>;

}  // namespace mcpproxy::mcp
