#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mcpproxy::tunnel_cloudflared {

// Cloudflare Access origin check (optional): every request on the tunneled listener must carry a
// valid Cf-Access-Jwt-Assertion for this team and application audience.
struct AccessConfig {
    std::string team;       // <team>.cloudflareaccess.com
    std::string audience;   // the Access application's AUD tag
    std::string issuer;     // default https://<team>.cloudflareaccess.com
    std::string certs_url;  // default <issuer>/cdn-cgi/access/certs
    std::chrono::seconds leeway{60};
    std::chrono::milliseconds min_refetch{30'000};  // unknown kid: refetch at most this often
    std::chrono::seconds refresh{3600};             // keys are refetched at least this often
};

struct CloudflaredConfig {
    std::string binary = "cloudflared";
    bool quick = true;               // quick tunnel (trycloudflare.com) or named tunnel
    std::string token;               // named: from "token", "token_file" or $TUNNEL_TOKEN; secret
    std::string hostname;            // named: the public hostname routed to this proxy
    std::uint16_t metrics_port = 0;  // 0: a free loopback port picked at start
    std::chrono::milliseconds poll_interval{1000};
    std::chrono::milliseconds ready_timeout{60'000};
    std::chrono::milliseconds stop_grace{5000};
    std::optional<AccessConfig> access;
};

// Reads the plugin's config block; throws std::runtime_error naming the key on bad values. The
// token is looked up here (config, token_file, then $TUNNEL_TOKEN) but checked in preflight.
CloudflaredConfig parse_cloudflared_config(std::string_view json_text);

// A named-tunnel token is base64 of JSON {"a": account, "t": tunnel id, "s": secret}; returns
// the tunnel id, or nullopt when the text is not such a token.
std::optional<std::string> tunnel_id_of_token(const std::string& token);

}  // namespace mcpproxy::tunnel_cloudflared
