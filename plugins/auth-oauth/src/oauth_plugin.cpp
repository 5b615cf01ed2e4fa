#include "oauth_plugin.hpp"

#include <algorithm>

#include "upstream/auth_commands.hpp"

namespace mcpproxy::oauth {

OAuthPlugin::OAuthPlugin(sdk::Host& host)
    : host_(host),
      config_(parse_oauth_config(host.config_json())),
      upstream_(std::make_unique<UpstreamOAuthClient>(host)) {
    for (auto& command : auth_commands(host, config_.upstream)) {
        host.register_command(std::move(command));
    }
    if (!config_.inbound) return;
    const auto& in = *config_.inbound;
    jwks_ = std::make_unique<JwksCache>(
        JwksCache::Settings{in.jwt.issuer, in.jwks_uri, in.jwks_refresh_interval,
                            in.jwks_min_refetch_interval},
        host.http(), host.logger());
    authenticator_ = std::make_unique<OAuthResourceAuthenticator>(
        in, *jwks_, [&host] { return host.now(); }, [&host] { return host.public_urls(); },
        host.logger());
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
    const auto servers = host_.upstream_servers();
    for (const auto& entry : config_.upstream.servers) {
        const std::string& name = entry.first;
        const auto it = std::find_if(servers.begin(), servers.end(),
                                     [&name](const auto& s) { return s.name == name; });
        if (it == servers.end() || it->url.empty()) {
            host_.logger().warn("config.upstreams." + name +
                                ": no HTTP server of that name in mcpServers; the entry is unused");
        }
    }
    upstream_->start();
}

void OAuthPlugin::stop() noexcept {
    if (jwks_) jwks_->stop();
    upstream_->stop();
}

std::string OAuthPlugin::health_detail() const {
    const auto upstream = upstream_->describe();
    if (!jwks_) return upstream.empty() ? "no \"inbound\" block: not validating tokens" : upstream;
    const auto inbound = "issuer " + config_.inbound->jwt.issuer + ": " + jwks_->describe();
    return upstream.empty() ? inbound : inbound + "; " + upstream;
}

}  // namespace mcpproxy::oauth
