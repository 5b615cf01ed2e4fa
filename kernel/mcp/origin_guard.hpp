#pragma once

#include <set>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

#include "kernel/util/host_port.hpp"

namespace mcpproxy::mcp {

// DNS-rebinding and cross-site defence for one listener: the Host header must name this
// listener (its address, a loopback name, a configured host, or a host a tunnel adapter
// reported at run time), and an Origin, when sent, must be allowed.
class OriginGuard {
public:
    OriginGuard(const util::HostPort& bound, std::vector<std::string> trusted_hosts,
                std::vector<std::string> allowed_origins);

    void add_trusted_host(const std::string& host);
    [[nodiscard]] bool host_allowed(std::string_view host_header) const;
    [[nodiscard]] bool origin_allowed(std::string_view origin) const;

private:
    bool loopback_listener_;
    bool any_host_;  // bound to a wildcard address with no trusted hosts configured
    mutable std::shared_mutex mutex_;
    std::set<std::string, std::less<>> hosts_;
    std::set<std::string, std::less<>> origins_;
};

// "Example.COM:443" -> "example.com"; "[::1]:80" -> "::1".
std::string host_without_port(std::string_view host_header);

}  // namespace mcpproxy::mcp
