#include "cloudflared_plugin.hpp"

namespace mcpproxy::tunnel_cloudflared {

CloudflaredPlugin::CloudflaredPlugin(sdk::Host& host)
    : adapter_(host, parse_cloudflared_config(host.config_json())) {}

std::string CloudflaredPlugin::health_detail() const {
    const auto s = adapter_.status();
    if (s.state == sdk::TunnelState::ready) return {};
    return s.detail;
}

}  // namespace mcpproxy::tunnel_cloudflared
