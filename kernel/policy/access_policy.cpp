#include "kernel/policy/access_policy.hpp"

#include <algorithm>

namespace mcpproxy::policy {

Decision decide(const sdk::Identity& identity, std::string_view server, sdk::Permission required) {
    const auto& servers = identity.allowed_servers;
    const bool server_ok = std::any_of(servers.begin(), servers.end(), [&](const std::string& s) {
        return s == "*" || s == server;
    });
    if (!server_ok) return Decision::deny_server;
    if (static_cast<int>(identity.permission) < static_cast<int>(required)) {
        return Decision::deny_permission;
    }
    return Decision::allow;
}

sdk::Identity anonymous_local_identity() {
    sdk::Identity id;
    id.name = "local";
    id.kind = "anonymous";
    id.allowed_servers = {"*"};
    id.permission = sdk::Permission::destructive;
    return id;
}

std::string_view to_string(Decision decision) {
    switch (decision) {
        case Decision::allow:
            return "allowed";
        case Decision::deny_server:
            return "server_not_allowed";
        case Decision::deny_permission:
            return "permission_missing";
    }
    return "denied";
}

std::string_view to_string(sdk::Permission permission) {
    switch (permission) {
        case sdk::Permission::read:
            return "read";
        case sdk::Permission::write:
            return "write";
        case sdk::Permission::destructive:
            return "destructive";
    }
    return "read";
}

}  // namespace mcpproxy::policy
