#pragma once

#include <nlohmann/json.hpp>
#include <ostream>
#include <vector>

#include "token_record.hpp"

namespace mcpproxy::agent_token {

// A token's public fields as JSON, name first (never the hash): name, servers, permissions, status,
// times, limits.
[[nodiscard]] nlohmann::ordered_json token_json(const TokenRecord& record, Seconds now);

// NAME  SERVERS  PERMISSIONS  EXPIRES  LAST USED  STATUS
void print_token_table(std::ostream& out, const std::vector<TokenRecord>& records, Seconds now);

// One "field: value" line per field.
void print_token_details(std::ostream& out, const TokenRecord& record, Seconds now);

}  // namespace mcpproxy::agent_token
