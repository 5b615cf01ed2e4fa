#include "kernel/util/duration.hpp"

#include <array>
#include <charconv>
#include <cstdint>

namespace mcpproxy::util {
namespace {

struct Unit {
    std::uint64_t ms;
    std::string_view suffix;
    std::string_view word;
};

// Largest first: formatting picks the first unit that divides the duration.
constexpr std::array<Unit, 5> kUnits{{{86'400'000, "d", "day"},
                                      {3'600'000, "h", "hour"},
                                      {60'000, "m", "minute"},
                                      {1'000, "s", "second"},
                                      {1, "ms", "millisecond"}}};

}  // namespace

std::optional<std::chrono::milliseconds> parse_duration(std::string_view text) {
    std::uint64_t value = 0;
    const auto* begin = text.data();
    const auto* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(begin, end, value);
    if (ec != std::errc{} || ptr == begin) return std::nullopt;
    const std::string_view suffix(ptr, static_cast<std::size_t>(end - ptr));
    for (const auto& unit : kUnits) {
        if (unit.suffix != suffix) continue;
        if (value > UINT64_MAX / unit.ms / 2) return std::nullopt;
        return std::chrono::milliseconds(static_cast<std::int64_t>(value * unit.ms));
    }
    return std::nullopt;
}

WholeUnits whole_units(std::chrono::milliseconds duration) {
    const auto ms = duration.count();
    for (const auto& unit : kUnits) {
        const auto size = static_cast<std::int64_t>(unit.ms);
        if (ms % size == 0) return {ms / size, unit.suffix, unit.word};
    }
    return {ms, "ms", "millisecond"};  // not reached: every count is whole milliseconds
}

std::string format_duration(std::chrono::milliseconds duration) {
    const auto whole = whole_units(duration);
    return std::to_string(whole.count) + std::string(whole.suffix);
}

}  // namespace mcpproxy::util
