#pragma once

#include <memory>

#include "access_jwt.hpp"
#include "cloudflared_config.hpp"
#include "cloudflared_daemon.hpp"
#include "mcpproxy/sdk/host.hpp"
#include "mcpproxy/sdk/tunnel_adapter.hpp"
#include "mcpproxy/tunnel_common/poll_loop.hpp"
#include "mcpproxy/tunnel_common/status_keeper.hpp"

namespace mcpproxy::tunnel_cloudflared {

// The cloudflared tunnel adapter: a quick tunnel (trycloudflare.com) or a named tunnel run with
// its token, supervised by the host; optionally checks Cloudflare Access JWTs on every request.
class CloudflaredAdapter final : public sdk::TunnelAdapter {
public:
    CloudflaredAdapter(sdk::Host& host, CloudflaredConfig config);
    ~CloudflaredAdapter() override;

    [[nodiscard]] std::string provider() const override { return "cloudflare"; }
    void preflight() override;
    [[nodiscard]] sdk::DaemonInfo daemon() override;
    void start(const sdk::TunnelTarget& target, sdk::TunnelEvents& events) override;
    void stop() noexcept override;
    [[nodiscard]] sdk::TunnelStatus status() const override { return status_.get(); }
    bool verify_request(const sdk::RequestView& request) override;

private:
    sdk::Host& host_;
    CloudflaredConfig config_;
    std::string binary_path_;
    tunnel_common::StatusKeeper status_;
    std::unique_ptr<CloudflaredDaemon> daemon_;
    std::unique_ptr<AccessVerifier> access_;
    tunnel_common::PollLoop key_refresh_;
};

}  // namespace mcpproxy::tunnel_cloudflared
