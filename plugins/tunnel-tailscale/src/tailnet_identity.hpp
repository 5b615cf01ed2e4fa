#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "mcpproxy/sdk/auth_bridge.hpp"
#include "mcpproxy/sdk/host.hpp"
#include "tailscale_config.hpp"

namespace mcpproxy::tunnel_tailscale {

// Maps a Tailscale Serve request's Tailscale-User-Login to an identity, for the logins listed in
// `identities` only, and only when tailscaled vouches for it: the TCP peer is loopback (tailscaled
// proxies from there), the request is not a Funnel request, and LocalAPI whois for the client
// address tailscaled put in X-Forwarded-For names the same login. Whois answers are cached
// (60 s, failures 5 s); a miss costs one LocalAPI call over tailscaled's unix socket.
class TailnetIdentity final : public sdk::AuthBridge {
public:
    TailnetIdentity(sdk::Host& host, const TailscaleConfig& config);
    sdk::AuthResult authenticate(const sdk::RequestView& request) override;
    [[nodiscard]] std::vector<std::string> credential_names(std::size_t limit) const override;
    [[nodiscard]] std::string setup_hint() const override;

private:
    struct Whois {
        std::string login;  // lower case; empty when tailscaled knows no such peer
        std::string node;
        std::chrono::steady_clock::time_point expires;
    };
    Whois whois(const std::string& ip);

    sdk::Host& host_;
    const TailscaleConfig& config_;
    std::mutex mutex_;
    std::map<std::string, Whois> cache_;
};

// The last address in an X-Forwarded-For value (the one the nearest proxy added).
std::string last_forwarded_for(std::string_view header);

}  // namespace mcpproxy::tunnel_tailscale
