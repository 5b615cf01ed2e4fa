#pragma once

#include "cloudflared_adapter.hpp"
#include "mcpproxy/sdk/plugin.hpp"

namespace mcpproxy::tunnel_cloudflared {

class CloudflaredPlugin final : public sdk::Plugin {
public:
    explicit CloudflaredPlugin(sdk::Host& host);
    sdk::TunnelAdapter* tunnel_adapter() override { return &adapter_; }
    void stop() noexcept override { adapter_.stop(); }
    [[nodiscard]] std::string health_detail() const override;

private:
    CloudflaredAdapter adapter_;
};

}  // namespace mcpproxy::tunnel_cloudflared
