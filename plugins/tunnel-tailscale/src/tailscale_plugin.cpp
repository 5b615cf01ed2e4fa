#include "tailscale_plugin.hpp"

#include <stdexcept>

namespace mcpproxy::tunnel_tailscale {
namespace {

TailscaleConfig parse_or_explain(std::string_view json) {
    try {
        return parse_tailscale_config(json);
    } catch (const std::exception& e) {
        throw std::runtime_error(std::string("tunnel-tailscale config: ") + e.what());
    }
}

}  // namespace

TailscalePlugin::TailscalePlugin(sdk::Host& host)
    : config_(parse_or_explain(host.config_json())), adapter_(host, config_) {
    if (!config_.identities.empty()) identity_ = std::make_unique<TailnetIdentity>(host, config_);
}

std::string TailscalePlugin::health_detail() const {
    const auto s = adapter_.status();
    std::string out = s.public_url.empty() ? std::string("no public URL yet") : s.public_url;
    if (!s.detail.empty()) out += "; " + s.detail;
    return out;
}

}  // namespace mcpproxy::tunnel_tailscale
