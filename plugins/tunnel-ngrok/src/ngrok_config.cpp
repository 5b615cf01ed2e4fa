#include "ngrok_config.hpp"

#include <stdexcept>

#include "mcpproxy/tunnel_common/plugin_json.hpp"

namespace mcpproxy::tunnel_ngrok {

namespace tc = tunnel_common;

NgrokConfig parse_ngrok_config(std::string_view json_text) {
    const auto config = tc::parse_config(json_text);
    tc::require_known_keys(
        config, {"ngrok", "authtoken", "authtoken_env", "config_files", "url", "web_port",
                 "edge_auth_check", "poll_interval_ms", "ready_timeout_ms"});
    NgrokConfig out;
    out.program = tc::string_key(config, "ngrok", "ngrok");
    out.authtoken = tc::string_key(config, "authtoken", "");
    out.authtoken_env = tc::string_key(config, "authtoken_env", "NGROK_AUTHTOKEN");
    if (const auto it = config.find("config_files"); it != config.end() && !it->is_null()) {
        if (!it->is_array())
            throw std::runtime_error("config key \"config_files\" must be a list of paths");
        for (const auto& f : *it) {
            if (!f.is_string())
                throw std::runtime_error("config key \"config_files\" must be a list of paths");
            out.config_files.push_back(f.get<std::string>());
        }
    }
    out.url = tc::string_key(config, "url", "");
    const auto port = tc::int_key(config, "web_port", 0);
    if (port < 0 || port > 65535)
        throw std::runtime_error("config key \"web_port\" must be a TCP port");
    out.web_port = static_cast<std::uint16_t>(port);
    out.edge_auth_check = tc::bool_key(config, "edge_auth_check", false);
    const auto poll = tc::int_key(config, "poll_interval_ms", 1000);
    if (poll < 100 || poll > 60'000)
        throw std::runtime_error("config key \"poll_interval_ms\" must be from 100 to 60000");
    out.poll_interval = std::chrono::milliseconds(poll);
    const auto ready_timeout = tc::int_key(config, "ready_timeout_ms", 60'000);
    if (ready_timeout < 100)
        throw std::runtime_error("config key \"ready_timeout_ms\" must be at least 100");
    out.ready_timeout = std::chrono::milliseconds(ready_timeout);
    return out;
}

std::optional<std::string> resolve_authtoken(const NgrokConfig& config) {
    if (!config.authtoken.empty()) return config.authtoken;
    if (config.authtoken_env.empty()) return std::nullopt;
    return tc::env_value(config.authtoken_env.c_str());
}

}  // namespace mcpproxy::tunnel_ngrok
