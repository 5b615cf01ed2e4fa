#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace mcpproxy::util {

std::size_t edit_distance(std::string_view a, std::string_view b);

// The candidate closest to word when it is close enough to be a plausible typo.
std::optional<std::string> closest_match(std::string_view word,
                                         std::span<const std::string_view> candidates);

}  // namespace mcpproxy::util
