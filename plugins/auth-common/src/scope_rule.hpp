#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "mcpproxy/sdk/identity.hpp"

namespace mcpproxy::auth_common {

// The scope fields an identity rule carries, the same as an agent token's:
//   "servers": "*" | "a,b" | ["a", "b"]         (required)
//   "permissions": "read" | "read,write" | "read,write,destructive"   (default "read")
//   "limits": {"requests_per_second": 5, "burst": 10, "max_concurrent": 2}   (optional)
struct Scope {
    std::vector<std::string> allowed_servers;
    sdk::Permission permission = sdk::Permission::read;
    sdk::Limits limits;
};

// Reads the scope fields of `rule`; `where` names the rule in errors ("rules[2]"). Throws
// std::invalid_argument with one line naming the field and the problem.
[[nodiscard]] Scope parse_scope(const nlohmann::json& rule, const std::string& where);

// The keys parse_scope reads, for callers that reject unknown keys.
[[nodiscard]] const std::vector<std::string>& scope_keys();

// Throws std::invalid_argument for a key of `object` that is in neither list.
void reject_unknown_keys(const nlohmann::json& object, const std::vector<std::string>& known,
                         const std::string& where);

[[nodiscard]] sdk::Identity make_identity(std::string name, std::string kind, const Scope& scope);

}  // namespace mcpproxy::auth_common
