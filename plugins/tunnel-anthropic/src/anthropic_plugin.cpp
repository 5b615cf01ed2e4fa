#include "anthropic_plugin.hpp"

#include "init_command.hpp"

namespace mcpproxy::tunnel_anthropic {

AnthropicPlugin::AnthropicPlugin(sdk::Host& host)
    : adapter_(host, parse_anthropic_config(host.config_json())) {
    host.register_command(init_command_spec());
}

std::string AnthropicPlugin::health_detail() const {
    const auto warning = adapter_.certificate_warning();
    if (!warning.empty()) return warning;
    const auto s = adapter_.status();
    return s.state == sdk::TunnelState::ready ? std::string() : s.detail;
}

}  // namespace mcpproxy::tunnel_anthropic
