#include "inbound_config.hpp"

#include <cmath>
#include <stdexcept>

namespace mcpproxy::oauth {
namespace {

using Json = nlohmann::json;

[[noreturn]] void fail(const std::string& where, const std::string& problem) {
    throw std::invalid_argument(where + ": " + problem);
}

std::string required_url(const Json& j, const char* key, const std::string& where) {
    if (!j.contains(key) || !j[key].is_string())
        fail(where + "." + key, "missing (an https:// URL)");
    const auto v = j[key].get<std::string>();
    if (!v.starts_with("https://") && !v.starts_with("http://"))
        fail(where + "." + key, "expected an https:// URL");
    return v;
}

std::vector<std::string> string_list(const Json& j, const char* key, const std::string& where) {
    std::vector<std::string> out;
    if (!j.contains(key)) return out;
    if (!j[key].is_array()) fail(where + "." + key, "expected a list of strings");
    for (const auto& v : j[key]) {
        if (!v.is_string() || v.get<std::string>().empty())
            fail(where + "." + key, "expected a list of strings");
        out.push_back(v);
    }
    return out;
}

ClaimRule parse_rule(const Json& j, const std::string& where) {
    if (!j.is_object()) fail(where, "expected an object");
    std::vector<std::string> known{"sub", "email", "group", "any"};
    for (const auto& k : auth_common::scope_keys()) known.push_back(k);
    auth_common::reject_unknown_keys(j, known, where);
    ClaimRule rule;
    int matchers = 0;
    for (const auto& [key, field] :
         {std::pair{"sub", ClaimField::sub}, std::pair{"email", ClaimField::email},
          std::pair{"group", ClaimField::group}}) {
        if (!j.contains(key)) continue;
        ++matchers;
        if (!j[key].is_string() || j[key].get<std::string>().empty())
            fail(where + "." + key, "expected a non-empty string");
        rule.field = field;
        rule.value = j[key];
    }
    if (j.contains("any")) {
        ++matchers;
        if (j["any"] != true) fail(where + ".any", "expected true");
        rule.field = ClaimField::any;
    }
    if (matchers != 1) fail(where, "give exactly one of sub, email, group, any");
    rule.scope = auth_common::parse_scope(j, where);
    return rule;
}

InboundConfig parse_inbound(const Json& j, const std::string& where) {
    if (!j.is_object()) fail(where, "expected an object");
    auth_common::reject_unknown_keys(
        j,
        {"issuer", "resource", "jwks_uri", "required_scopes", "scopes_supported", "leeway",
         "algorithms", "groups_claim", "rules", "jwks_refresh_interval",
         "jwks_min_refetch_interval"},
        where);
    InboundConfig c;
    c.jwt.issuer = required_url(j, "issuer", where);
    if (j.contains("resource")) c.resource = required_url(j, "resource", where);
    if (j.contains("jwks_uri")) c.jwks_uri = required_url(j, "jwks_uri", where);
    c.required_scopes = string_list(j, "required_scopes", where);
    c.scopes_supported = string_list(j, "scopes_supported", where);
    if (c.scopes_supported.empty()) c.scopes_supported = c.required_scopes;
    if (j.contains("algorithms")) {
        c.jwt.algorithms.clear();
        for (const auto& a : string_list(j, "algorithms", where)) {
            if (a != "RS256" && a != "ES256" && a != "EdDSA") {
                fail(where + ".algorithms", "\"" + a + "\" is not supported (RS256, ES256, EdDSA)");
            }
            c.jwt.algorithms.insert(a);
        }
        if (c.jwt.algorithms.empty()) fail(where + ".algorithms", "must not be empty");
    }
    if (j.contains("groups_claim")) {
        if (!j["groups_claim"].is_string()) fail(where + ".groups_claim", "expected a claim name");
        c.jwt.groups_claim = j["groups_claim"];
    }
    auto duration = [&](const char* key, auto& target, std::chrono::milliseconds min,
                        std::chrono::milliseconds max) {
        if (!j.contains(key)) return;
        const auto d = parse_duration(j[key]);
        if (!d || *d < min || *d > max)
            fail(where + "." + key, "expected a duration such as \"30s\" within limits");
        target = std::chrono::duration_cast<std::remove_reference_t<decltype(target)>>(*d);
    };
    duration("leeway", c.jwt.leeway, std::chrono::seconds(0), std::chrono::minutes(5));
    duration("jwks_refresh_interval", c.jwks_refresh_interval, std::chrono::seconds(1),
             std::chrono::hours(24));
    duration("jwks_min_refetch_interval", c.jwks_min_refetch_interval,
             std::chrono::milliseconds(100), std::chrono::hours(1));
    if (!j.contains("rules") || !j["rules"].is_array() || j["rules"].empty()) {
        fail(where + ".rules",
             "missing: at least one rule (e.g. {\"any\": true, \"servers\": \"*\"})");
    }
    for (std::size_t i = 0; i < j["rules"].size(); ++i) {
        c.rules.push_back(parse_rule(j["rules"][i], where + ".rules[" + std::to_string(i) + "]"));
    }
    return c;
}

}  // namespace

std::optional<std::chrono::milliseconds> parse_duration(const nlohmann::json& value) {
    if (value.is_number() && value.get<double>() >= 0) {
        // Beyond this the conversion would be undefined: not a duration.
        const double ms = value.get<double>() * 1000;
        if (ms >= std::ldexp(1.0, 62)) return std::nullopt;
        return std::chrono::milliseconds(static_cast<std::int64_t>(ms));
    }
    if (!value.is_string()) return std::nullopt;
    const auto s = value.get<std::string>();
    std::size_t used = 0;
    double n = 0;
    try {
        n = std::stod(s, &used);
    } catch (...) {
        return std::nullopt;
    }
    const auto unit = s.substr(used);
    double ms = 0;
    if (unit == "ms")
        ms = n;
    else if (unit == "s" || unit.empty())
        ms = n * 1000;
    else if (unit == "m")
        ms = n * 60'000;
    else if (unit == "h")
        ms = n * 3'600'000;
    else
        return std::nullopt;
    if (n < 0) return std::nullopt;
    return std::chrono::milliseconds(static_cast<std::int64_t>(ms));
}

OAuthConfig parse_oauth_config(std::string_view json_text) {
    auto j = Json::parse(json_text.empty() ? std::string_view("{}") : json_text, nullptr, false);
    if (j.is_discarded() || !j.is_object())
        throw std::invalid_argument("config: expected a JSON object");
    std::vector<std::string> known{"inbound"};
    for (const auto& k : upstream_config_keys()) known.push_back(k);
    auth_common::reject_unknown_keys(j, known, "config");
    OAuthConfig c;
    if (j.contains("inbound")) c.inbound = parse_inbound(j["inbound"], "config.inbound");
    c.upstream = parse_upstream_config(j);
    return c;
}

const ClaimRule* find_claim_rule(const std::vector<ClaimRule>& rules, const TokenClaims& claims) {
    for (const auto& r : rules) {
        switch (r.field) {
            case ClaimField::any:
                return &r;
            case ClaimField::sub:
                if (!claims.subject.empty() && claims.subject == r.value) return &r;
                break;
            case ClaimField::email:
                if (!claims.email.empty() && claims.email == r.value) return &r;
                break;
            case ClaimField::group:
                for (const auto& g : claims.groups) {
                    if (g == r.value) return &r;
                }
                break;
        }
    }
    return nullptr;
}

std::optional<std::string> resource_for(const InboundConfig& config,
                                        const std::vector<std::string>& public_urls) {
    if (!config.resource.empty()) return config.resource;
    if (public_urls.empty() || public_urls.front().empty()) return std::nullopt;
    auto base = public_urls.front();
    while (base.ends_with('/')) base.pop_back();
    return base + "/mcp";
}

std::string resource_metadata_url(const std::string& resource) {
    const auto scheme_end = resource.find("://");
    const auto path_start = resource.find('/', scheme_end + 3);
    const auto origin = resource.substr(0, path_start);
    std::string path =
        path_start == std::string::npos ? std::string() : resource.substr(path_start);
    if (path == "/") path.clear();
    return origin + "/.well-known/oauth-protected-resource" + path;
}

}  // namespace mcpproxy::oauth
