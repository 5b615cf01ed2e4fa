#pragma once

#include <chrono>
#include <optional>
#include <string_view>

namespace mcpproxy::util {

// Parses "250ms", "30s", "5m", "2h", "7d" (one number, one unit). Returns nullopt when malformed.
std::optional<std::chrono::milliseconds> parse_duration(std::string_view text);

}  // namespace mcpproxy::util
