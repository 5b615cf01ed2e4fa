#include "kernel/tunnel/tunnel_events.hpp"

#include "kernel/util/plain_text.hpp"

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

void TunnelEventsSink::status_changed(const sdk::TunnelStatus& reported) {
    // What an adapter reports reaches logs, JSON and the tunnel status file: plain text only,
    // of a sane length, whatever a daemon printed.
    sdk::TunnelStatus status = reported;
    status.detail = util::plain_text(reported.detail, 1024);
    status.public_url = util::plain_text(reported.public_url, 512);
    board_.update(plugin_, provider_, status);
    bool url_changed = false;
    bool news = false;
    {
        std::lock_guard lock(mutex_);
        if (!status.public_url.empty() && status.public_url != last_url_) {
            last_url_ = status.public_url;
            url_changed = true;
        }
        const bool trouble =
            status.state == sdk::TunnelState::failed || status.state == sdk::TunnelState::degraded;
        const auto now = std::chrono::steady_clock::now();
        const auto since = now - told_at_;
        if (!trouble) {
            told_state_ = status.state;
        } else if ((status.state != told_state_ && since >= std::chrono::seconds(5)) ||
                   (status.detail != told_detail_ && since >= std::chrono::seconds(30))) {
            news = true;
            told_state_ = status.state;
            told_detail_ = status.detail;
            told_at_ = now;
        }
    }
    if (url_changed && trust_host_) trust_host_(host_of_url(status.public_url));
    if (changed_) changed_(status, url_changed, news);
}

}  // namespace mcpproxy::tunnel
