#pragma once

#include "anthropic_adapter.hpp"
#include "mcpproxy/sdk/plugin.hpp"

namespace mcpproxy::tunnel_anthropic {

class AnthropicPlugin final : public sdk::Plugin {
public:
    explicit AnthropicPlugin(sdk::Host& host);
    sdk::TunnelAdapter* tunnel_adapter() override { return &adapter_; }
    void stop() noexcept override { adapter_.stop(); }
    [[nodiscard]] std::string health_detail() const override;

private:
    AnthropicAdapter adapter_;
};

}  // namespace mcpproxy::tunnel_anthropic
