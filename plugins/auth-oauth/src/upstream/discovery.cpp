#include "upstream/discovery.hpp"

#include <algorithm>

#include "upstream/oauth_http.hpp"
#include "upstream/oauth_urls.hpp"

namespace mcpproxy::oauth {
namespace {

using Json = nlohmann::json;

std::string string_field(const Json& doc, const char* key) {
    const auto it = doc.find(key);
    return it != doc.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::vector<std::string> string_list(const Json& doc, const char* key) {
    std::vector<std::string> out;
    const auto it = doc.find(key);
    if (it == doc.end() || !it->is_array()) return out;
    for (const auto& v : *it) {
        if (v.is_string()) out.push_back(v.get<std::string>());
    }
    return out;
}

std::string endpoint(const Json& doc, const char* key, const std::string& issuer, bool required) {
    auto url = string_field(doc, key);
    if (url.empty()) {
        if (required) {
            throw OAuthFlowError("authorization server " + issuer + " publishes no " + key);
        }
        return url;
    }
    if (!is_http_url(url)) {
        throw OAuthFlowError("authorization server " + issuer + ": " + key +
                             " must be an https:// URL (http:// only on loopback)");
    }
    return url;
}

std::string without_trailing_slash(std::string s) {
    while (!s.empty() && s.back() == '/') s.pop_back();
    return s;
}

// The resource the metadata speaks for must be the server we talk to (RFC 9728 §3.3): same
// origin, and its path a prefix of the server's.
bool resource_covers(const std::string& resource, const std::string& server_url) {
    const auto r = canonical_resource(resource);
    const auto s = canonical_resource(server_url);
    return s == r || (s.starts_with(r) && s[r.size()] == '/') ||
           (split_url(r).path.empty() && split_url(r).origin == split_url(s).origin);
}

// The checks after the issuer's: PKCE S256 and the endpoints.
AuthorizationServer read_checked_metadata(const Json& doc, const std::string& issuer) {
    AuthorizationServer as;
    as.issuer = issuer;
    const auto methods = string_list(doc, "code_challenge_methods_supported");
    if (std::find(methods.begin(), methods.end(), "S256") == methods.end()) {
        throw OAuthFlowError("authorization server " + issuer +
                             " does not offer PKCE with S256 (its metadata's "
                             "code_challenge_methods_supported lacks \"S256\"); mcpproxy does "
                             "not log in without it");
    }
    as.authorization_endpoint = endpoint(doc, "authorization_endpoint", issuer, true);
    as.token_endpoint = endpoint(doc, "token_endpoint", issuer, true);
    as.registration_endpoint = endpoint(doc, "registration_endpoint", issuer, false);
    as.revocation_endpoint = endpoint(doc, "revocation_endpoint", issuer, false);
    as.scopes_supported = string_list(doc, "scopes_supported");
    as.token_auth_methods = string_list(doc, "token_endpoint_auth_methods_supported");
    return as;
}

}  // namespace

AuthorizationServer read_authorization_server_metadata(const Json& doc, const std::string& issuer) {
    const auto published = string_field(doc, "issuer");
    if (!published.empty() && without_trailing_slash(published) != without_trailing_slash(issuer)) {
        throw OAuthFlowError("authorization server metadata for " + issuer +
                             " names another issuer (" + published + ")");
    }
    return read_checked_metadata(doc, issuer);
}

AuthorizationServer read_origin_authorization_server_metadata(const Json& doc,
                                                              const std::string& origin) {
    const auto published = string_field(doc, "issuer");
    if (published.empty() || without_trailing_slash(published) == without_trailing_slash(origin)) {
        return read_authorization_server_metadata(doc, origin);
    }
    if (split_url(published).origin != split_url(origin).origin || !is_http_url(published)) {
        throw OAuthFlowError("authorization server metadata for " + origin +
                             " names an issuer on another origin (" + published + ")");
    }
    return read_checked_metadata(doc, published);
}

AuthorizationServer default_authorization_server(const std::string& origin) {
    AuthorizationServer as;
    as.issuer = origin;
    as.authorization_endpoint = origin + "/authorize";
    as.token_endpoint = origin + "/token";
    as.registration_endpoint = origin + "/register";
    return as;
}

AuthorizationServer discover_authorization_server(sdk::HttpClient& http,
                                                  const std::string& server_url,
                                                  const BearerChallenge* challenge) {
    std::vector<std::string> prm_urls;
    if (challenge != nullptr && !challenge->resource_metadata.empty()) {
        if (!is_http_url(challenge->resource_metadata)) {
            throw OAuthFlowError("the server's resource_metadata URL must be https://");
        }
        prm_urls.push_back(challenge->resource_metadata);
    } else {
        prm_urls = protected_resource_metadata_urls(server_url);
    }
    std::optional<Json> prm;
    std::string tried;
    for (const auto& url : prm_urls) {
        auto fetched = get_json(http, url);
        if (fetched.json) {
            prm = std::move(fetched.json);
            break;
        }
        tried += (tried.empty() ? "" : "; ") + url + ": " + fetched.problem;
    }
    std::string resource = canonical_resource(server_url);
    std::vector<std::string> issuers;
    std::vector<std::string> resource_scopes;
    bool legacy = false;
    if (prm) {
        if (const auto r = string_field(*prm, "resource"); !r.empty()) {
            if (!resource_covers(r, server_url)) {
                throw OAuthFlowError("protected-resource metadata of " + server_url +
                                     " is for another resource (" + r + ")");
            }
            resource = r;
        }
        issuers = string_list(*prm, "authorization_servers");
        if (issuers.empty()) {
            throw OAuthFlowError("protected-resource metadata of " + server_url +
                                 " names no authorization_servers");
        }
        resource_scopes = string_list(*prm, "scopes_supported");
    } else if (challenge == nullptr || challenge->resource_metadata.empty()) {
        // MCP 2025-03-26 servers publish no RFC 9728 metadata: the authorization server is the
        // server's own origin.
        legacy = true;
        issuers.push_back(split_url(server_url).origin);
    } else {
        throw OAuthFlowError("no OAuth protected-resource metadata for " + server_url + " (" +
                             tried + ")");
    }
    const auto& issuer = issuers.front();
    if (!is_http_url(issuer)) {
        throw OAuthFlowError("authorization server " + issuer +
                             " must be an https:// URL (http:// only on loopback)");
    }
    const std::string prm_tried = tried;
    tried.clear();
    bool all_not_found = true;
    for (const auto& url : authorization_server_metadata_urls(issuer)) {
        auto fetched = get_json(http, url);
        if (!fetched.json) {
            tried += (tried.empty() ? "" : "; ") + url + ": " + fetched.problem;
            all_not_found = all_not_found && fetched.problem == "HTTP 404";
            continue;
        }
        auto as = legacy ? read_origin_authorization_server_metadata(*fetched.json, issuer)
                         : read_authorization_server_metadata(*fetched.json, issuer);
        as.resource = resource;
        // MCP scope selection: the resource's scopes_supported, never the server's whole list.
        as.scopes_supported = resource_scopes;
        return as;
    }
    // MCP 2025-03-26 default endpoints, only when the origin answered that it has no metadata
    // (an unreachable or failing server is an error, not a reason to guess).
    if (legacy && all_not_found) {
        auto as = default_authorization_server(issuer);
        as.resource = resource;
        return as;
    }
    std::string why = "no authorization server metadata for " + issuer + " (" + tried + ")";
    if (!prm) why += "; no protected-resource metadata either (" + prm_tried + ")";
    throw OAuthFlowError(why);
}

std::optional<BearerChallenge> probe_challenge(sdk::HttpClient& http,
                                               const std::string& server_url) {
    sdk::HttpClientRequest req;
    req.method = "POST";
    req.url = server_url;
    req.headers["Content-Type"] = "application/json";
    req.headers["Accept"] = "application/json, text/event-stream";
    req.body = Json{{"jsonrpc", "2.0"},
                    {"id", 1},
                    {"method", "initialize"},
                    {"params",
                     {{"protocolVersion", "2025-06-18"},
                      {"capabilities", Json::object()},
                      {"clientInfo", {{"name", "mcpproxy"}, {"version", "auth-probe"}}}}}}
                   .dump();
    const auto res = http.send(req);
    if (res.status != 401) return std::nullopt;
    const auto it = res.headers.find("www-authenticate");
    if (it == res.headers.end()) return BearerChallenge{};
    return parse_bearer_challenge(it->second);
}

}  // namespace mcpproxy::oauth
