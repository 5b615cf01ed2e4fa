#pragma once

#include <string_view>

namespace mcpproxy::agent_token {

// ^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$ — throws std::invalid_argument saying what is wrong.
void validate_token_name(std::string_view name);

}  // namespace mcpproxy::agent_token
