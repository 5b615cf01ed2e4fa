#pragma once

#include <string_view>

#include "mcpproxy/sdk/identity.hpp"

namespace mcpproxy::policy {

enum class Decision { allow, deny_server, deny_permission };

// Whether identity may use a tool of `server` that needs `required`. Pure and cheap: called for
// every tool in a listing and again at call time.
Decision decide(const sdk::Identity& identity, std::string_view server, sdk::Permission required);

inline bool allows(const sdk::Identity& identity, std::string_view server,
                   sdk::Permission required) {
    return decide(identity, server, required) == Decision::allow;
}

// The caller on a listener with no authentication configured (loopback only by default).
sdk::Identity anonymous_local_identity();

std::string_view to_string(Decision decision);
std::string_view to_string(sdk::Permission permission);

}  // namespace mcpproxy::policy
