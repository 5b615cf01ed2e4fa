#pragma once

#include <functional>
#include <mutex>
#include <string>

#include "kernel/tunnel/tunnel_board.hpp"
#include "mcpproxy/sdk/tunnel_adapter.hpp"

namespace mcpproxy::tunnel {

// Receives one adapter's status reports: records them on the board, trusts the public host on
// the tunneled listener as soon as it is known, and tells the server (banner line, readiness).
class TunnelEventsSink final : public sdk::TunnelEvents {
public:
    using TrustHost = std::function<void(const std::string& host)>;
    using Changed = std::function<void(const sdk::TunnelStatus& status, bool url_changed)>;

    TunnelEventsSink(std::string plugin, std::string provider, TunnelBoard& board,
                     TrustHost trust_host, Changed changed);
    void status_changed(const sdk::TunnelStatus& status) override;

private:
    std::string plugin_;
    std::string provider_;
    TunnelBoard& board_;
    TrustHost trust_host_;
    Changed changed_;
    std::mutex mutex_;
    std::string last_url_;
};

// "https://abc.trycloudflare.com/" -> "abc.trycloudflare.com"; keeps a non-default port.
std::string host_of_url(const std::string& url);

}  // namespace mcpproxy::tunnel
