#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace mcpproxy::process {

// Finds an executable regular file named `program` in the ':'-separated directory list
// `search_path` (an empty entry means the current directory). Returns its path, or nothing.
std::optional<std::string> find_on_path(std::string_view program, std::string_view search_path);

// Resolves argv[0] the way a shell would: names containing '/' are used as they are, other names
// are looked up on `search_path`. Throws std::runtime_error("program not found on PATH: <name>").
std::string resolve_program(const std::string& program, std::string_view search_path);

}  // namespace mcpproxy::process
