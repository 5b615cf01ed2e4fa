#pragma once

#include <chrono>
#include <string>
#include <string_view>

namespace mcpproxy::agent_token {

inline constexpr std::chrono::seconds kDefaultLifetime = std::chrono::days(30);
inline constexpr std::chrono::seconds kMaxLifetime = std::chrono::days(365);
inline constexpr std::chrono::seconds kMaxGrace = std::chrono::days(7);

// A token lifetime: "<N>d" or "<N>h", at least 1h, at most 365d. Throws std::invalid_argument
// with a one-line message such as "400d: at most 365d".
[[nodiscard]] std::chrono::seconds parse_lifetime(std::string_view text);

// A regeneration grace period: "<N>s", "<N>m", "<N>h" or "<N>d"; 0 allowed; at most 7d.
[[nodiscard]] std::chrono::seconds parse_grace(std::string_view text);

// The largest whole unit that represents d exactly: "30d", "12h", "90m", "45s".
[[nodiscard]] std::string format_duration(std::chrono::seconds d);

}  // namespace mcpproxy::agent_token
