#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mcpproxy::util {

// Parses a size such as "500MB", "1GB", "256KiB", "1.5 GB" or "4096" (bytes). KB, MB, GB and TB
// are powers of 1000; KiB, MiB, GiB and TiB powers of 1024; units are case-insensitive and may
// follow one space. Returns nullopt when malformed or beyond 9.2e18 bytes.
std::optional<std::uint64_t> parse_byte_size(std::string_view text);

// "1.0 GB", "256.0 KB", "512 B": decimal units, one decimal, for log lines.
std::string format_byte_size(std::uint64_t bytes);

}  // namespace mcpproxy::util
