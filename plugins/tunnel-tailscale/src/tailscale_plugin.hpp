#pragma once

#include <memory>

#include "mcpproxy/sdk/plugin.hpp"
#include "tailnet_identity.hpp"
#include "tailscale_adapter.hpp"
#include "tailscale_config.hpp"

namespace mcpproxy::tunnel_tailscale {

// The tunnel-tailscale plugin: a tunnel adapter, and an auth bridge only when the config maps
// tailnet logins to identities (Serve mode).
class TailscalePlugin final : public sdk::Plugin {
public:
    explicit TailscalePlugin(sdk::Host& host);
    void stop() noexcept override { adapter_.stop(); }
    sdk::TunnelAdapter* tunnel_adapter() override { return &adapter_; }
    sdk::AuthBridge* auth_bridge() override { return identity_.get(); }
    [[nodiscard]] std::string health_detail() const override;

private:
    TailscaleConfig config_;
    TailscaleAdapter adapter_;
    std::unique_ptr<TailnetIdentity> identity_;
};

}  // namespace mcpproxy::tunnel_tailscale
