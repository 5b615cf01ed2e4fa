#include "ngrok_plugin.hpp"

#include <stdexcept>

namespace mcpproxy::tunnel_ngrok {
namespace {

NgrokConfig parse_or_explain(std::string_view json) {
    try {
        return parse_ngrok_config(json);
    } catch (const std::exception& e) {
        throw std::runtime_error(std::string("tunnel-ngrok config: ") + e.what());
    }
}

}  // namespace

NgrokPlugin::NgrokPlugin(sdk::Host& host) : adapter_(host, parse_or_explain(host.config_json())) {}

std::string NgrokPlugin::health_detail() const {
    const auto s = adapter_.status();
    std::string out = s.public_url.empty() ? std::string("no public URL yet") : s.public_url;
    if (!s.detail.empty()) out += "; " + s.detail;
    return out;
}

}  // namespace mcpproxy::tunnel_ngrok
