#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace mcpproxy::activity {

// UTC, e.g. "2024-05-01T12:34:56.789Z"; fraction_digits is 0, 3 or 6.
std::string format_rfc3339(std::chrono::system_clock::time_point time, int fraction_digits);

// An RFC 3339 date-time ("2024-05-01T12:34:56Z", "2024-05-01t12:34:56.5+02:00", a space instead
// of the T) or a bare full-date ("2024-05-01", midnight UTC). nullopt when malformed or invalid.
std::optional<std::chrono::system_clock::time_point> parse_rfc3339(std::string_view text);

// An age such as "90s", "30m", "1h", "7d", "2w" or a sum of them ("1h30m"). nullopt when malformed.
std::optional<std::chrono::seconds> parse_age(std::string_view text);

}  // namespace mcpproxy::activity
