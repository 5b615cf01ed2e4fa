#include "oauth_plugin.hpp"

namespace mcpproxy::oauth {

OAuthPlugin::OAuthPlugin(sdk::Host& host)
    : host_(host), config_(parse_oauth_config(host.config_json())) {
    if (!config_.inbound) return;
    const auto& in = *config_.inbound;
    jwks_ = std::make_unique<JwksCache>(
        JwksCache::Settings{in.jwt.issuer, in.jwks_uri, in.jwks_refresh_interval,
                            in.jwks_min_refetch_interval},
        host.http(), host.logger());
    authenticator_ =
        std::make_unique<OAuthResourceAuthenticator>(in, *jwks_, [&host] { return host.now(); });
    // /.well-known/oauth-protected-resource and everything below it (the /mcp-suffixed form).
    host.register_route({sdk::RouteSurface::well_known, "oauth-protected-resource",
                         [auth = authenticator_.get()](const sdk::RouteRequest&) {
                             return auth->metadata_response();
                         }});
}

OAuthPlugin::~OAuthPlugin() {
    stop();
}

void OAuthPlugin::start() {
    if (jwks_) jwks_->start();
}

void OAuthPlugin::stop() noexcept {
    if (jwks_) jwks_->stop();
}

std::string OAuthPlugin::health_detail() const {
    if (!jwks_) return "no \"inbound\" block: not validating tokens";
    return "issuer " + config_.inbound->jwt.issuer + ": " + jwks_->describe();
}

}  // namespace mcpproxy::oauth
