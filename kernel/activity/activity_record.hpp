#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace mcpproxy::activity {

inline constexpr const char* kDecisionAllowed = "allowed";
inline constexpr const char* kDecisionDenied = "denied";

// One MCP request as the activity log keeps it.
struct ActivityRecord {
    std::chrono::system_clock::time_point time{};
    std::string request_id{};
    std::string identity_name{};
    std::string identity_kind{};
    std::string client_address{};
    std::string listener{};
    std::string method{};  // JSON-RPC method
    std::string server{};
    std::string tool{};
    std::string decision{};  // kDecisionAllowed | kDecisionDenied
    std::string reason{};    // deny reason code; for an upstream-unavailable error, its message
    int http_status = 0;
    std::optional<int> jsonrpc_error{};
    std::chrono::microseconds latency{0};
    std::uint64_t bytes_in = 0;
    std::uint64_t bytes_out = 0;
    // Opt-in; the caller has already redacted secrets and applied the size cap.
    std::optional<std::string> arguments{};

    bool operator==(const ActivityRecord&) const = default;
};

}  // namespace mcpproxy::activity
