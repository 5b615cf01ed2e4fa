#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mcpproxy::util {

// Parses "250ms", "30s", "5m", "2h", "7d" (one number, one unit). Returns nullopt when malformed.
std::optional<std::chrono::milliseconds> parse_duration(std::string_view text);

// A duration in the largest unit that divides it exactly: 7 days, 12 hours, 250 milliseconds.
struct WholeUnits {
    std::int64_t count;
    std::string_view suffix;  // as parse_duration reads it: "d", "h", "m", "s", "ms"
    std::string_view word;    // singular: "day", "hour", ...
};
WholeUnits whole_units(std::chrono::milliseconds duration);

// "90d", "12h", "250ms": what parse_duration reads back to the same value.
std::string format_duration(std::chrono::milliseconds duration);

}  // namespace mcpproxy::util
