#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "mcpproxy/sdk/identity.hpp"

namespace mcpproxy::agent_token {

// "read", "read,write" or "read,write,destructive" (any order, case-insensitive). Permissions are
// cumulative, so read is mandatory and destructive needs write; anything else throws
// std::invalid_argument with a one-line message.
[[nodiscard]] sdk::Permission parse_permissions(std::string_view csv);

// The cumulative list, "read,write" for Permission::write.
[[nodiscard]] std::string permission_list(sdk::Permission p);

// The single level name stored in the database: "read", "write" or "destructive".
[[nodiscard]] std::string_view permission_level(sdk::Permission p);
[[nodiscard]] std::optional<sdk::Permission> permission_from_level(std::string_view level);

}  // namespace mcpproxy::agent_token
