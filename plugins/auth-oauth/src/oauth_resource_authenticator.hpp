#pragma once

#include <chrono>
#include <functional>

#include "inbound_config.hpp"
#include "jwks_cache.hpp"
#include "mcpproxy/sdk/auth_bridge.hpp"
#include "mcpproxy/sdk/route.hpp"

namespace mcpproxy::oauth {

// This proxy as an OAuth 2.1 resource server: accepts JWT access tokens from the configured
// issuer. A bearer that is not JWT-shaped is not ours (agent tokens pass to their own bridge).
// Invalid token: 401 with error="invalid_token"; valid without the required scopes: 403 with
// error="insufficient_scope"; valid but no rule matches its claims: 403.
class OAuthResourceAuthenticator final : public sdk::AuthBridge {
public:
    using Clock = std::function<std::chrono::system_clock::time_point()>;
    OAuthResourceAuthenticator(InboundConfig config, JwksCache& jwks, Clock clock);

    sdk::AuthResult authenticate(const sdk::RequestView& request) override;
    [[nodiscard]] std::string challenge(const sdk::RequestView& request) const override;
    [[nodiscard]] std::vector<std::string> credential_names(std::size_t limit) const override;
    [[nodiscard]] std::string setup_hint() const override;

    // The RFC 9728 document served at /.well-known/oauth-protected-resource[/path].
    [[nodiscard]] sdk::RouteResponse metadata_response() const;

private:
    [[nodiscard]] std::string challenge_with(const std::string& error) const;

    InboundConfig config_;
    JwksCache& jwks_;
    Clock clock_;
    std::string metadata_url_;
};

}  // namespace mcpproxy::oauth
