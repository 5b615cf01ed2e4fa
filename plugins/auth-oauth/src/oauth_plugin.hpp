#pragma once

#include <memory>

#include "inbound_config.hpp"
#include "jwks_cache.hpp"
#include "mcpproxy/sdk/plugin.hpp"
#include "oauth_resource_authenticator.hpp"

namespace mcpproxy::oauth {

// The auth-oauth plugin. Today: the inbound resource server ("inbound" block): JWT validation
// against the issuer's JWKS and the RFC 9728 metadata routes. Without an "inbound" block it is
// not an auth bridge.
class OAuthPlugin final : public sdk::Plugin {
public:
    explicit OAuthPlugin(sdk::Host& host);
    ~OAuthPlugin() override;
    void start() override;
    void stop() noexcept override;
    sdk::AuthBridge* auth_bridge() override { return authenticator_.get(); }
    [[nodiscard]] std::string health_detail() const override;

private:
    sdk::Host& host_;
    OAuthConfig config_;
    std::unique_ptr<JwksCache> jwks_;
    std::unique_ptr<OAuthResourceAuthenticator> authenticator_;
};

}  // namespace mcpproxy::oauth
