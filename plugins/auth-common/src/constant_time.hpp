#pragma once

#include <string_view>

namespace mcpproxy::auth_common {

// Equality whose time depends only on the lengths, for secrets and pinned fingerprints.
[[nodiscard]] bool equal_constant_time(std::string_view a, std::string_view b);

}  // namespace mcpproxy::auth_common
