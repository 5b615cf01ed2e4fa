#pragma once

#include <string>

#include "token_record.hpp"

namespace mcpproxy::agent_token {

// "2026-11-25T22:06:31Z"
[[nodiscard]] std::string rfc3339(Seconds t);
// "2026-11-25 22:06 UTC", for tables.
[[nodiscard]] std::string short_time(Seconds t);

}  // namespace mcpproxy::agent_token
