#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "jwt_validator.hpp"
#include "scope_rule.hpp"
#include "upstream/upstream_config.hpp"

namespace mcpproxy::oauth {

enum class ClaimField { any, sub, email, group };

// Which validated tokens get which scope; the first matching rule (in order) wins.
struct ClaimRule {
    ClaimField field = ClaimField::any;
    std::string value;
    auth_common::Scope scope;
};

// The "inbound" block: this proxy as an OAuth resource server (see README.md).
struct InboundConfig {
    JwtRules jwt;  // issuer, leeway, algorithms; audience = the resource at the time of the request
    // Canonical resource URL, e.g. https://mcp.example.com/mcp. Empty: <first tunnel public
    // URL>/mcp, looked up at each request (see resource_for).
    std::string resource;
    std::string jwks_uri;  // empty: discovered from the issuer's metadata
    std::vector<std::string> required_scopes;
    std::vector<std::string> scopes_supported;
    std::vector<ClaimRule> rules;
    std::chrono::milliseconds jwks_refresh_interval{std::chrono::minutes(15)};
    std::chrono::milliseconds jwks_min_refetch_interval{std::chrono::seconds(30)};
};

struct OAuthConfig {
    std::optional<InboundConfig> inbound;
    UpstreamOAuthConfig upstream;  // "upstreams", "callback_port", "login_timeout"
};

// Throws std::invalid_argument naming the key ("config.inbound.rules[1].servers: ...").
[[nodiscard]] OAuthConfig parse_oauth_config(std::string_view json_text);

// "30s", "15m", "250ms", "1h" or a number of seconds; nullopt when it is none of these.
[[nodiscard]] std::optional<std::chrono::milliseconds> parse_duration(const nlohmann::json& value);

[[nodiscard]] const ClaimRule* find_claim_rule(const std::vector<ClaimRule>& rules,
                                               const TokenClaims& claims);

// The canonical resource URL now: the configured one, else the first public URL + "/mcp";
// nullopt when neither exists (tokens are then refused).
[[nodiscard]] std::optional<std::string> resource_for(const InboundConfig& config,
                                                      const std::vector<std::string>& public_urls);

// RFC 9728: https://host/.well-known/oauth-protected-resource/<path of the resource>.
[[nodiscard]] std::string resource_metadata_url(const std::string& resource);

}  // namespace mcpproxy::oauth
