#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace mcpproxy::sdk {

// Permissions are cumulative: write implies read, destructive implies write and read.
enum class Permission : std::uint8_t { read = 1, write = 2, destructive = 3 };

struct Limits {
    std::optional<double> requests_per_second;  // token-bucket refill rate
    std::optional<std::uint32_t> burst;         // token-bucket size
    std::optional<std::uint32_t> max_concurrent;
};

// Who is calling, as established by an auth bridge. The kernel's policy engine decides what this
// identity may do; the bridge only says who it is and what scope its credential carries.
struct Identity {
    std::string name;                          // shown in logs and the activity log; never a secret
    std::string kind;                          // the bridge's own label, e.g. "agent_token"
    std::vector<std::string> allowed_servers;  // {"*"} means every server; empty means none
    Permission permission = Permission::read;
    Limits limits;
    std::map<std::string, std::string> attributes;  // free-form, non-secret
};

}  // namespace mcpproxy::sdk
