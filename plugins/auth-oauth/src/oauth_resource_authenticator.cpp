#include "oauth_resource_authenticator.hpp"

#include <nlohmann/json.hpp>

namespace mcpproxy::oauth {
namespace {

std::optional<std::string_view> bearer_token(const sdk::RequestView& request) {
    const auto header = request.header("Authorization");
    if (!header) return std::nullopt;
    auto v = *header;
    if (v.size() < 7) return std::nullopt;
    std::string scheme(v.substr(0, 7));
    for (auto& c : scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (scheme != "bearer ") return std::nullopt;
    v.remove_prefix(7);
    while (!v.empty() && v.front() == ' ') v.remove_prefix(1);
    while (!v.empty() && v.back() == ' ') v.remove_suffix(1);
    return v;
}

}  // namespace

OAuthResourceAuthenticator::OAuthResourceAuthenticator(InboundConfig config, JwksCache& jwks,
                                                       Clock clock, PublicUrls public_urls,
                                                       sdk::Logger& log)
    : config_(std::move(config)),
      jwks_(jwks),
      clock_(std::move(clock)),
      public_urls_(std::move(public_urls)),
      log_(log) {}

std::optional<std::string> OAuthResourceAuthenticator::current_resource() const {
    auto resource = resource_for(
        config_, config_.resource.empty() ? public_urls_() : std::vector<std::string>{});
    if (resource) {
        missing_resource_logged_.store(false);
    } else if (!missing_resource_logged_.exchange(true)) {
        log_.log(sdk::LogLevel::warn,
                 "auth-oauth: no inbound resource URL (config.inbound.resource is not set and no "
                 "tunnel is ready): refusing OAuth tokens until a tunnel publishes its URL");
    }
    return resource;
}

std::string OAuthResourceAuthenticator::challenge_with(const std::optional<std::string>& resource,
                                                       const std::string& error) const {
    std::string out = "Bearer";
    if (resource) out += " resource_metadata=\"" + resource_metadata_url(*resource) + "\"";
    if (!error.empty()) out += std::string(resource ? "," : "") + " error=\"" + error + "\"";
    if (error == "insufficient_scope" && !config_.required_scopes.empty()) {
        std::string scopes;
        for (const auto& s : config_.required_scopes) scopes += (scopes.empty() ? "" : " ") + s;
        out += ", scope=\"" + scopes + "\"";
    }
    return out;
}

sdk::AuthResult OAuthResourceAuthenticator::authenticate(const sdk::RequestView& request) {
    const auto token = bearer_token(request);
    if (!token || !looks_like_jwt(*token)) return sdk::AuthResult::not_mine();
    const auto resource = current_resource();
    if (!resource)
        return sdk::AuthResult::reject("no_resource_url", challenge_with({}, "invalid_token"));
    auto rules = config_.jwt;
    rules.audience = *resource;
    const auto keys = jwks_.keys();
    const auto verdict = validate_jwt(*token, *keys, rules, clock_());
    if (!verdict.valid) {
        if (verdict.error == "unknown_kid") jwks_.request_refetch();
        return sdk::AuthResult::reject(verdict.error, challenge_with(resource, "invalid_token"));
    }
    const auto& claims = verdict.claims;
    sdk::Identity who;
    who.name = "oauth:" + (claims.email.empty() ? claims.subject : claims.email);
    who.kind = "oauth";
    for (const auto& s : config_.required_scopes) {
        if (!claims.scopes.contains(s)) {
            return sdk::AuthResult::forbid(std::move(who), "insufficient_scope",
                                           challenge_with(resource, "insufficient_scope"));
        }
    }
    const auto* rule = find_claim_rule(config_.rules, claims);
    if (rule == nullptr) return sdk::AuthResult::forbid(std::move(who), "no_matching_rule");
    auto identity = auth_common::make_identity(who.name, "oauth", rule->scope);
    identity.attributes["sub"] = claims.subject;
    identity.attributes["issuer"] = config_.jwt.issuer;
    return sdk::AuthResult::accept(std::move(identity));
}

std::string OAuthResourceAuthenticator::challenge(const sdk::RequestView& /*request*/) const {
    return challenge_with(current_resource(), "");
}

std::vector<std::string> OAuthResourceAuthenticator::credential_names(std::size_t limit) const {
    if (limit == 0) return {};
    return {"oauth:" + config_.jwt.issuer};
}

std::string OAuthResourceAuthenticator::setup_hint() const {
    return "configure auth-oauth's \"inbound\" block with your identity provider's issuer";
}

sdk::RouteResponse OAuthResourceAuthenticator::metadata_response() const {
    sdk::RouteResponse r;
    r.headers["Access-Control-Allow-Origin"] = "*";
    const auto resource = current_resource();
    if (!resource) {
        r.status = 503;
        r.headers["Cache-Control"] = "no-store";
        r.body = nlohmann::json{{"error", "resource_unknown"},
                                {"error_description",
                                 "config.inbound.resource is not set and no tunnel is ready; the "
                                 "resource URL follows the tunnel's public URL once it is"}}
                     .dump();
        return r;
    }
    nlohmann::json doc{{"resource", *resource},
                       {"authorization_servers", {config_.jwt.issuer}},
                       {"bearer_methods_supported", {"header"}},
                       {"scopes_supported", config_.scopes_supported}};
    r.body = doc.dump();
    // A resource that follows the tunnel may change at any time.
    r.headers["Cache-Control"] = config_.resource.empty() ? "no-cache" : "max-age=300";
    return r;
}

}  // namespace mcpproxy::oauth
