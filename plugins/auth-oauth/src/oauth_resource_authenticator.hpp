#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "inbound_config.hpp"
#include "jwks_cache.hpp"
#include "mcpproxy/sdk/auth_bridge.hpp"
#include "mcpproxy/sdk/logger.hpp"
#include "mcpproxy/sdk/route.hpp"

namespace mcpproxy::oauth {

// This proxy as an OAuth 2.1 resource server: accepts JWT access tokens from the configured
// issuer. A bearer that is not JWT-shaped is not ours (agent tokens pass to their own bridge).
// Invalid token: 401 with error="invalid_token"; valid without the required scopes: 403 with
// error="insufficient_scope"; valid but no rule matches its claims: 403.
// Without a configured "resource" the resource (and so the required "aud") is the first tunnel
// public URL + "/mcp" at the time of each request; with neither, every token is refused.
class OAuthResourceAuthenticator final : public sdk::AuthBridge {
public:
    using Clock = std::function<std::chrono::system_clock::time_point()>;
    using PublicUrls = std::function<std::vector<std::string>()>;
    OAuthResourceAuthenticator(InboundConfig config, JwksCache& jwks, Clock clock,
                               PublicUrls public_urls, sdk::Logger& log);

    sdk::AuthResult authenticate(const sdk::RequestView& request) override;
    [[nodiscard]] std::string challenge(const sdk::RequestView& request) const override;
    [[nodiscard]] std::vector<std::string> credential_names(std::size_t limit) const override;
    [[nodiscard]] std::string setup_hint() const override;

    // The RFC 9728 document served at /.well-known/oauth-protected-resource[/path].
    [[nodiscard]] sdk::RouteResponse metadata_response() const;

private:
    // The resource now; nullopt (logged once per stretch without one) when there is none.
    [[nodiscard]] std::optional<std::string> current_resource() const;
    [[nodiscard]] std::string challenge_with(const std::optional<std::string>& resource,
                                             const std::string& error) const;

    InboundConfig config_;
    JwksCache& jwks_;
    Clock clock_;
    PublicUrls public_urls_;
    sdk::Logger& log_;
    mutable std::atomic<bool> missing_resource_logged_{false};
};

}  // namespace mcpproxy::oauth
