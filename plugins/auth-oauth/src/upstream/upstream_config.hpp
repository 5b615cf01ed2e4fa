#pragma once

#include <chrono>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace mcpproxy::oauth {

// One entry of "upstreams": how to log in to one upstream server (keyed by its mcpServers name).
struct UpstreamClientConfig {
    std::string client_id;      // empty: dynamic client registration (RFC 7591)
    std::string client_secret;  // secret; only with client_id
    std::vector<std::string> scopes;
    bool send_resource = true;  // RFC 8707 resource parameter; off for servers that reject it
};

// The upstream OAuth client's settings: "upstreams", "callback_port", "login_timeout".
struct UpstreamOAuthConfig {
    std::map<std::string, UpstreamClientConfig> servers;
    unsigned short callback_port = 8765;
    std::chrono::milliseconds login_timeout{std::chrono::minutes(5)};

    // The entry for server, or the defaults when it has none.
    [[nodiscard]] UpstreamClientConfig for_server(const std::string& server) const;
    [[nodiscard]] std::string redirect_uri() const;
};

inline const std::vector<std::string>& upstream_config_keys() {
    static const std::vector<std::string> keys{"upstreams", "callback_port", "login_timeout"};
    return keys;
}

// Reads the upstream keys of the plugin's config object; throws std::invalid_argument naming
// the key ("config.upstreams.github.scopes: ...") and never quoting a secret.
[[nodiscard]] UpstreamOAuthConfig parse_upstream_config(const nlohmann::json& config);

}  // namespace mcpproxy::oauth
