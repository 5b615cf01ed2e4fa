#pragma once

#include <chrono>
#include <functional>
#include <mutex>
#include <string>

#include "kernel/tunnel/tunnel_board.hpp"
#include "mcpproxy/sdk/tunnel_adapter.hpp"

namespace mcpproxy::tunnel {

// Receives one adapter's status reports: records them on the board, trusts the public host on
// the tunneled listener as soon as it is known, and tells the server (banner line, readiness).
// `news` says whether a failed/degraded report is worth a warning: another state (a new spell of
// trouble, or failed after degraded) at most every 5 s, another reason at most every 30 s. An
// adapter may change its detail at every poll (a daemon that answers garbage) or flap.
class TunnelEventsSink final : public sdk::TunnelEvents {
public:
    using TrustHost = std::function<void(const std::string& host)>;
    using Changed =
        std::function<void(const sdk::TunnelStatus& status, bool url_changed, bool news)>;

    TunnelEventsSink(std::string plugin, std::string provider, TunnelBoard& board,
                     TrustHost trust_host, Changed changed);
    void status_changed(const sdk::TunnelStatus& reported) override;

private:
    std::string plugin_;
    std::string provider_;
    TunnelBoard& board_;
    TrustHost trust_host_;
    Changed changed_;
    std::mutex mutex_;
    std::string last_url_;
    sdk::TunnelState told_state_ = sdk::TunnelState::stopped;  // of the last warning
    std::string told_detail_;
    std::chrono::steady_clock::time_point told_at_;
};

// "https://abc.trycloudflare.com/" -> "abc.trycloudflare.com"; keeps a non-default port.
std::string host_of_url(const std::string& url);

}  // namespace mcpproxy::tunnel
