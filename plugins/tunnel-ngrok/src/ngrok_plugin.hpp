#pragma once

#include "mcpproxy/sdk/plugin.hpp"
#include "ngrok_adapter.hpp"

namespace mcpproxy::tunnel_ngrok {

class NgrokPlugin final : public sdk::Plugin {
public:
    explicit NgrokPlugin(sdk::Host& host);
    void stop() noexcept override { adapter_.stop(); }
    sdk::TunnelAdapter* tunnel_adapter() override { return &adapter_; }
    [[nodiscard]] std::string health_detail() const override;

private:
    NgrokAdapter adapter_;
};

}  // namespace mcpproxy::tunnel_ngrok
