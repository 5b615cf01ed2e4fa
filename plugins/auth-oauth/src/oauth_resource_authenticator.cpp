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
                                                       Clock clock)
    : config_(std::move(config)),
      jwks_(jwks),
      clock_(std::move(clock)),
      metadata_url_(resource_metadata_url(config_.resource)) {}

std::string OAuthResourceAuthenticator::challenge_with(const std::string& error) const {
    std::string out = "Bearer resource_metadata=\"" + metadata_url_ + "\"";
    if (!error.empty()) out += ", error=\"" + error + "\"";
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
    const auto keys = jwks_.keys();
    const auto verdict = validate_jwt(*token, *keys, config_.jwt, clock_());
    if (!verdict.valid) {
        if (verdict.error == "unknown_kid") jwks_.request_refetch();
        return sdk::AuthResult::reject(verdict.error, challenge_with("invalid_token"));
    }
    const auto& claims = verdict.claims;
    sdk::Identity who;
    who.name = "oauth:" + (claims.email.empty() ? claims.subject : claims.email);
    who.kind = "oauth";
    for (const auto& s : config_.required_scopes) {
        if (!claims.scopes.contains(s)) {
            return sdk::AuthResult::forbid(std::move(who), "insufficient_scope",
                                           challenge_with("insufficient_scope"));
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
    return challenge_with("");
}

std::vector<std::string> OAuthResourceAuthenticator::credential_names(std::size_t limit) const {
    if (limit == 0) return {};
    return {"oauth:" + config_.jwt.issuer};
}

std::string OAuthResourceAuthenticator::setup_hint() const {
    return "configure auth-oauth's \"inbound\" block with your identity provider's issuer";
}

sdk::RouteResponse OAuthResourceAuthenticator::metadata_response() const {
    nlohmann::json doc{{"resource", config_.resource},
                       {"authorization_servers", {config_.jwt.issuer}},
                       {"bearer_methods_supported", {"header"}},
                       {"scopes_supported", config_.scopes_supported}};
    sdk::RouteResponse r;
    r.body = doc.dump();
    r.headers["Cache-Control"] = "max-age=300";
    r.headers["Access-Control-Allow-Origin"] = "*";
    return r;
}

}  // namespace mcpproxy::oauth
