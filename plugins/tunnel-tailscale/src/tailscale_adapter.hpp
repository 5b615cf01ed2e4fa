#pragma once

#include <atomic>
#include <mutex>
#include <string>

#include "mcpproxy/sdk/host.hpp"
#include "mcpproxy/sdk/tunnel_adapter.hpp"
#include "mcpproxy/tunnel_common/poll_loop.hpp"
#include "mcpproxy/tunnel_common/status_keeper.hpp"
#include "tailscale_cli.hpp"
#include "tailscale_config.hpp"

namespace mcpproxy::tunnel_tailscale {

// `tailscale serve|funnel --bg` only configures tailscaled and exits, so there is no process to
// supervise: a poll loop reads `tailscale status --json` and `tailscale serve status --json`,
// reports the URL once the entry for our port proxies to the tunneled listener, and applies the
// entry again when it disappears (tailscaled restarted without its state, someone ran `off`).
class TailscaleAdapter final : public sdk::TunnelAdapter {
public:
    TailscaleAdapter(sdk::Host& host, TailscaleConfig config);
    ~TailscaleAdapter() override;

    [[nodiscard]] std::string provider() const override { return "tailscale"; }
    void preflight() override;
    [[nodiscard]] sdk::DaemonInfo daemon() override;
    void start(const sdk::TunnelTarget& target, sdk::TunnelEvents& events) override;
    void stop() noexcept override;
    [[nodiscard]] sdk::TunnelStatus status() const override { return keeper_.get(); }

private:
    void tick();
    void trouble(const std::string& detail);

    sdk::Host& host_;
    TailscaleConfig config_;
    TailscaleCli cli_;
    tunnel_common::StatusKeeper keeper_;
    tunnel_common::PollLoop loop_;
    std::mutex tick_mutex_;
    std::string target_url_;
    std::string last_trouble_;
    bool applied_ = false;
    bool was_ready_ = false;
    unsigned reapplies_ = 0;
    std::atomic<bool> started_{false};
};

// "tailscale 1.50.1 is too old ..." when the version cannot do `serve --bg`; nullopt when fine.
std::optional<std::string> version_problem(const std::string& version);
// The version on the first line of `tailscale version` ("1.76.6\n  tailscale commit: ..." ->
// "1.76.6"); empty when the first line is not a version.
std::string parse_tailscale_version(const std::string& output);

}  // namespace mcpproxy::tunnel_tailscale
