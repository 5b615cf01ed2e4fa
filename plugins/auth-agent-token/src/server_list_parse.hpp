#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace mcpproxy::agent_token {

// "*" (every server) or a comma-separated list of server names, e.g. "github,filesystem".
// Returns {"*"} or the names in order without duplicates; throws std::invalid_argument otherwise.
[[nodiscard]] std::vector<std::string> parse_server_list(std::string_view csv);

// "*" or "a,b".
[[nodiscard]] std::string join_server_list(const std::vector<std::string>& servers);

}  // namespace mcpproxy::agent_token
