#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mcpproxy::util {

struct HostPort {
    std::string host;  // without brackets for IPv6
    std::uint16_t port = 0;
    [[nodiscard]] std::string to_string() const;  // brackets IPv6
};

// Parses "127.0.0.1:8080", "[::1]:8080", "localhost:0". Returns nullopt when malformed.
std::optional<HostPort> parse_host_port(std::string_view text);

bool is_loopback_host(std::string_view host);

}  // namespace mcpproxy::util
