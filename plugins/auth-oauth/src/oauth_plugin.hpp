#pragma once

#include <memory>

#include "inbound_config.hpp"
#include "jwks_cache.hpp"
#include "mcpproxy/sdk/plugin.hpp"
#include "oauth_resource_authenticator.hpp"
#include "upstream/upstream_oauth_client.hpp"

namespace mcpproxy::oauth {

// The auth-oauth plugin. Inbound ("inbound" block): JWT validation against the issuer's JWKS and
// the RFC 9728 metadata routes; without that block it is not an auth bridge. Upstream (always):
// OAuth tokens for HTTP upstream servers (`mcpproxy auth login`), sent by the kernel through
// upstream_credentials().
class OAuthPlugin final : public sdk::Plugin {
public:
    explicit OAuthPlugin(sdk::Host& host);
    ~OAuthPlugin() override;
    void start() override;
    void stop() noexcept override;
    sdk::AuthBridge* auth_bridge() override { return authenticator_.get(); }
    sdk::UpstreamCredentials* upstream_credentials() override { return &upstream_->credentials(); }
    [[nodiscard]] std::string health_detail() const override;

private:
    sdk::Host& host_;
    OAuthConfig config_;
    std::unique_ptr<JwksCache> jwks_;
    std::unique_ptr<OAuthResourceAuthenticator> authenticator_;
    std::unique_ptr<UpstreamOAuthClient> upstream_;
};

}  // namespace mcpproxy::oauth
