#include "kernel/tunnel/tunnel_events.hpp"

namespace mcpproxy::tunnel {

std::string host_of_url(const std::string& url) {
    auto start = url.find("://");
    start = start == std::string::npos ? 0 : start + 3;
    const auto end = url.find_first_of("/?#", start);
    return url.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

TunnelEventsSink::TunnelEventsSink(std::string plugin, std::string provider, TunnelBoard& board,
                                   TrustHost trust_host, Changed changed)
    : plugin_(std::move(plugin)),
      provider_(std::move(provider)),
      board_(board),
      trust_host_(std::move(trust_host)),
      changed_(std::move(changed)) {}

void TunnelEventsSink::status_changed(const sdk::TunnelStatus& status) {
    board_.update(plugin_, provider_, status);
    bool url_changed = false;
    {
        std::lock_guard lock(mutex_);
        if (!status.public_url.empty() && status.public_url != last_url_) {
            last_url_ = status.public_url;
            url_changed = true;
        }
    }
    if (url_changed && trust_host_) trust_host_(host_of_url(status.public_url));
    if (changed_) changed_(status, url_changed);
}

}  // namespace mcpproxy::tunnel
