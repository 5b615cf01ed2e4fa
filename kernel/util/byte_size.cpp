#include "kernel/util/byte_size.hpp"

#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <utility>

namespace mcpproxy::util {
namespace {

std::string lower(std::string_view text) {
    std::string out(text);
    for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

std::optional<double> unit_factor(std::string_view unit) {
    static const std::array<std::pair<std::string_view, double>, 9> kUnits{{
        {"b", 1.0},
        {"kb", 1e3},
        {"mb", 1e6},
        {"gb", 1e9},
        {"tb", 1e12},
        {"kib", 1024.0},
        {"mib", 1024.0 * 1024},
        {"gib", 1024.0 * 1024 * 1024},
        {"tib", 1024.0 * 1024 * 1024 * 1024},
    }};
    const std::string name = lower(unit);
    if (name.empty()) return 1.0;
    for (const auto& [known, factor] : kUnits) {
        if (name == known) return factor;
    }
    return std::nullopt;
}

}  // namespace

std::optional<std::uint64_t> parse_byte_size(std::string_view text) {
    const char* begin = text.data();
    const char* end = text.data() + text.size();
    if (begin == end || !std::isdigit(static_cast<unsigned char>(*begin))) return std::nullopt;
    double value = 0;
    const auto [ptr, ec] = std::from_chars(begin, end, value, std::chars_format::fixed);
    if (ec != std::errc{} || !std::isfinite(value)) return std::nullopt;
    std::string_view unit(ptr, static_cast<std::size_t>(end - ptr));
    if (unit.starts_with(' ')) unit.remove_prefix(1);
    const auto factor = unit_factor(unit);
    if (!factor) return std::nullopt;
    const double bytes = std::round(value * *factor);
    if (bytes < 0 || bytes > 9.2e18) return std::nullopt;
    return static_cast<std::uint64_t>(bytes);
}

std::string format_byte_size(std::uint64_t bytes) {
    static const std::array<const char*, 5> kNames{"B", "KB", "MB", "GB", "TB"};
    if (bytes < 1000) return std::to_string(bytes) + " B";
    double value = static_cast<double>(bytes);
    std::size_t unit = 0;
    // 999,999 bytes is "1.0 MB", not "1000.0 KB".
    while (value >= 999.95 && unit + 1 < kNames.size()) {
        value /= 1000;
        ++unit;
    }
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.1f %s", value, kNames[unit]);
    return buffer;
}

}  // namespace mcpproxy::util
