#include "kernel/mcp/origin_guard.hpp"

#include <algorithm>
#include <cctype>
#include <mutex>

namespace mcpproxy::mcp {

std::string host_without_port(std::string_view host) {
    std::string_view h = host;
    if (h.starts_with('[')) {
        const auto close = h.find(']');
        h = close == std::string_view::npos ? h : h.substr(1, close - 1);
    } else if (const auto colon = h.rfind(':');
               colon != std::string_view::npos && h.find(':') == colon) {
        h = h.substr(0, colon);
    }
    std::string out(h);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

OriginGuard::OriginGuard(const util::HostPort& bound, std::vector<std::string> trusted_hosts,
                         std::vector<std::string> allowed_origins)
    : loopback_listener_(util::is_loopback_host(bound.host)),
      any_host_(!util::is_loopback_host(bound.host) && trusted_hosts.empty() &&
                (bound.host == "0.0.0.0" || bound.host == "::")) {
    hosts_.insert(host_without_port(bound.host));
    hosts_.insert("localhost");
    hosts_.insert("127.0.0.1");
    hosts_.insert("::1");
    for (const auto& h : trusted_hosts) hosts_.insert(host_without_port(h));
    for (auto& o : allowed_origins) origins_.insert(std::move(o));
}

void OriginGuard::add_trusted_host(const std::string& host) {
    std::unique_lock lock(mutex_);
    hosts_.insert(host_without_port(host));
}

bool OriginGuard::host_allowed(std::string_view host_header) const {
    if (host_header.empty()) return false;
    if (any_host_) return true;
    const auto host = host_without_port(host_header);
    std::shared_lock lock(mutex_);
    return hosts_.contains(host);
}

bool OriginGuard::origin_allowed(std::string_view origin) const {
    if (origin.empty()) return true;  // not a browser
    {
        std::shared_lock lock(mutex_);
        if (origins_.contains(origin) || origins_.contains("*")) return true;
    }
    if (!loopback_listener_) return false;
    // On a loopback listener, pages served from loopback may call in (local tools, inspectors).
    const auto scheme_end = origin.find("://");
    if (scheme_end == std::string_view::npos) return false;
    return util::is_loopback_host(host_without_port(origin.substr(scheme_end + 3)));
}

}  // namespace mcpproxy::mcp
