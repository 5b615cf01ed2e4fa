#pragma once

#include <string>
#include <string_view>

namespace mcpproxy::mgmt {

// The management listener's admin key: the configured api_key, or the one in
// <data_dir>/admin.key (mode 0600), created on first use.
std::string load_or_create_admin_key(const std::string& data_dir, const std::string& configured);

// Reads <data_dir>/admin.key without creating it; empty when absent.
std::string read_admin_key(const std::string& data_dir);

// Constant-time comparison, whatever the lengths.
bool admin_key_matches(std::string_view expected, std::string_view presented);

}  // namespace mcpproxy::mgmt
