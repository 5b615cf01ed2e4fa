#include "duration_parse.hpp"

#include <charconv>
#include <cstdint>
#include <stdexcept>

#include "display_text.hpp"

namespace mcpproxy::agent_token {
namespace {

struct Unit {
    char suffix;
    std::int64_t seconds;
};

constexpr Unit kDay{'d', 86'400};
constexpr Unit kHour{'h', 3'600};
constexpr Unit kMinute{'m', 60};
constexpr Unit kSecond{'s', 1};

[[noreturn]] void fail(std::string_view text, const std::string& why) {
    throw std::invalid_argument(display_text(text) + ": " + why);
}

std::chrono::seconds parse_with_units(std::string_view text, std::initializer_list<Unit> units,
                                      const char* expected) {
    if (text.size() < 2) fail(text, expected);
    const char suffix = text.back();
    const std::string_view digits = text.substr(0, text.size() - 1);
    const Unit* unit = nullptr;
    for (const Unit& u : units) {
        if (u.suffix == suffix) unit = &u;
    }
    if (unit == nullptr) fail(text, expected);
    std::int64_t n = 0;
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
    if (ec != std::errc{} || end != digits.data() + digits.size() || n < 0) fail(text, expected);
    // Any value past 10 years is rejected by the callers' maximum; cap to avoid overflow.
    if (n > 10 * 366 * kDay.seconds) fail(text, "too large");
    return std::chrono::seconds(n * unit->seconds);
}

}  // namespace

std::chrono::seconds parse_lifetime(std::string_view text) {
    const auto d = parse_with_units(text, {kDay, kHour},
                                    "expected a number of days or hours, like 30d or 12h");
    if (d < std::chrono::hours(1))
        throw std::invalid_argument(display_text(text) + ": at least 1h");
    if (d > kMaxLifetime) throw std::invalid_argument(display_text(text) + ": at most 365d");
    return d;
}

std::chrono::seconds parse_grace(std::string_view text) {
    const auto d = parse_with_units(text, {kDay, kHour, kMinute, kSecond},
                                    "expected a duration like 60s, 15m, 2h or 1d");
    if (d > kMaxGrace) throw std::invalid_argument(display_text(text) + ": at most 7d");
    return d;
}

std::string format_duration(std::chrono::seconds d) {
    const std::int64_t s = d.count();
    for (const Unit& u : {kDay, kHour, kMinute}) {
        if (s != 0 && s % u.seconds == 0) return std::to_string(s / u.seconds) + u.suffix;
    }
    return std::to_string(s) + "s";
}

}  // namespace mcpproxy::agent_token
