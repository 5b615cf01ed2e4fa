#include "kernel/activity/activity_time.hpp"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <cstdio>

namespace mcpproxy::activity {
namespace {

using namespace std::chrono;

// Reads exactly `width` decimal digits at `pos`, advancing it.
std::optional<int> read_digits(std::string_view text, std::size_t& pos, std::size_t width) {
    if (pos + width > text.size()) return std::nullopt;
    int value = 0;
    for (std::size_t i = 0; i < width; ++i) {
        const char c = text[pos + i];
        if (c < '0' || c > '9') return std::nullopt;
        value = value * 10 + (c - '0');
    }
    pos += width;
    return value;
}

bool expect(std::string_view text, std::size_t& pos, char wanted) {
    if (pos >= text.size() || text[pos] != wanted) return false;
    ++pos;
    return true;
}

}  // namespace

std::string format_rfc3339(system_clock::time_point time, int fraction_digits) {
    const auto day = floor<days>(time);
    const year_month_day date{day};
    const hh_mm_ss clock{floor<microseconds>(time - day)};
    char buffer[64];
    int length = std::snprintf(
        buffer, sizeof buffer, "%04d-%02u-%02uT%02d:%02d:%02d", static_cast<int>(date.year()),
        static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
        static_cast<int>(clock.hours().count()), static_cast<int>(clock.minutes().count()),
        static_cast<int>(clock.seconds().count()));
    const auto micros = static_cast<long>(clock.subseconds().count());
    if (fraction_digits == 3) {
        length += std::snprintf(buffer + length, sizeof buffer - static_cast<std::size_t>(length),
                                ".%03ld", micros / 1000);
    } else if (fraction_digits == 6) {
        length += std::snprintf(buffer + length, sizeof buffer - static_cast<std::size_t>(length),
                                ".%06ld", micros);
    }
    return std::string(buffer, static_cast<std::size_t>(length)) + "Z";
}

std::optional<system_clock::time_point> parse_rfc3339(std::string_view text) {
    std::size_t pos = 0;
    const auto y = read_digits(text, pos, 4);
    if (!y || !expect(text, pos, '-')) return std::nullopt;
    const auto mo = read_digits(text, pos, 2);
    if (!mo || !expect(text, pos, '-')) return std::nullopt;
    const auto d = read_digits(text, pos, 2);
    if (!d) return std::nullopt;
    const year_month_day date{year{*y}, month{static_cast<unsigned>(*mo)},
                              day{static_cast<unsigned>(*d)}};
    if (!date.ok()) return std::nullopt;
    const sys_days midnight{date};
    if (pos == text.size()) return system_clock::time_point(midnight);

    const char separator = text[pos++];
    if (separator != 'T' && separator != 't' && separator != ' ') return std::nullopt;
    const auto h = read_digits(text, pos, 2);
    if (!h || !expect(text, pos, ':')) return std::nullopt;
    const auto mi = read_digits(text, pos, 2);
    if (!mi || !expect(text, pos, ':')) return std::nullopt;
    const auto s = read_digits(text, pos, 2);
    // 60 is a leap second, which RFC 3339 allows; it lands on the next second.
    if (!s || *h > 23 || *mi > 59 || *s > 60) return std::nullopt;

    nanoseconds fraction{0};
    if (pos < text.size() && text[pos] == '.') {
        ++pos;
        const std::size_t start = pos;
        std::int64_t scale = 100'000'000;
        while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
            fraction += nanoseconds((text[pos] - '0') * scale);  // digits past 9 are ignored
            scale /= 10;
            ++pos;
        }
        if (pos == start) return std::nullopt;
    }

    if (pos >= text.size()) return std::nullopt;
    minutes offset{0};
    const char zone = text[pos++];
    if (zone == '+' || zone == '-') {
        const auto oh = read_digits(text, pos, 2);
        if (!oh || !expect(text, pos, ':')) return std::nullopt;
        const auto om = read_digits(text, pos, 2);
        if (!om || *oh > 23 || *om > 59) return std::nullopt;
        offset = hours(*oh) + minutes(*om);
        if (zone == '-') offset = -offset;
    } else if (zone != 'Z' && zone != 'z') {
        return std::nullopt;
    }
    if (pos != text.size()) return std::nullopt;

    const auto local = midnight + hours(*h) + minutes(*mi) + seconds(*s) + fraction;
    return time_point_cast<system_clock::duration>(local - offset);
}

std::optional<seconds> parse_age(std::string_view text) {
    if (text.empty()) return std::nullopt;
    seconds total{0};
    std::size_t pos = 0;
    while (pos < text.size()) {
        std::uint32_t value = 0;
        const auto* begin = text.data() + pos;
        // At most 9 digits so no unit can overflow the sum.
        const auto* limit = text.data() + std::min(text.size(), pos + 9);
        const auto [end, ec] = std::from_chars(begin, limit, value);
        if (ec != std::errc{} || end == begin) return std::nullopt;
        pos = static_cast<std::size_t>(end - text.data());
        if (pos >= text.size()) return std::nullopt;  // a number needs a unit
        switch (text[pos++]) {
            case 's':
                total += seconds(value);
                break;
            case 'm':
                total += minutes(value);
                break;
            case 'h':
                total += hours(value);
                break;
            case 'd':
                total += days(value);
                break;
            case 'w':
                total += weeks(value);
                break;
            default:
                return std::nullopt;
        }
    }
    return total;
}

}  // namespace mcpproxy::activity
