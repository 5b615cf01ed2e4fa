#include "upstream/client_registration.hpp"

#include <nlohmann/json.hpp>

#include "upstream/oauth_http.hpp"

namespace mcpproxy::oauth {

ClientRecord register_client(sdk::HttpClient& http, const AuthorizationServer& as,
                             const std::string& server, const std::string& redirect_uri,
                             const std::string& scope) {
    if (as.registration_endpoint.empty()) {
        throw OAuthFlowError("authorization server " + as.issuer +
                             " offers no dynamic client registration; set "
                             "config.upstreams." +
                             server + ".client_id to a client registered there");
    }
    nlohmann::json body{{"client_name", "mcpproxy"},
                        {"redirect_uris", {redirect_uri}},
                        {"grant_types", {"authorization_code", "refresh_token"}},
                        {"response_types", {"code"}},
                        {"token_endpoint_auth_method", "none"}};
    if (!scope.empty()) body["scope"] = scope;
    sdk::HttpClientRequest req;
    req.method = "POST";
    req.url = as.registration_endpoint;
    req.headers["Content-Type"] = "application/json";
    req.headers["Accept"] = "application/json";
    req.body = body.dump();
    req.timeout = std::chrono::seconds(15);
    const auto res = http.send(req);
    if (res.status != 201 && res.status != 200) {
        std::string why = res.status == 0 ? res.error : "HTTP " + std::to_string(res.status);
        const auto j = nlohmann::json::parse(res.body, nullptr, false);
        if (j.is_object() && j.contains("error") && j["error"].is_string())
            why += " " + j["error"].get<std::string>().substr(0, 64);
        throw OAuthFlowError("dynamic client registration at " + as.registration_endpoint +
                             " failed: " + why);
    }
    const auto j = nlohmann::json::parse(res.body, nullptr, false);
    if (!j.is_object() || !j.contains("client_id") || !j["client_id"].is_string() ||
        j["client_id"].get<std::string>().empty()) {
        throw OAuthFlowError("dynamic client registration at " + as.registration_endpoint +
                             " returned no client_id");
    }
    ClientRecord c;
    c.server = server;
    c.issuer = as.issuer;
    c.redirect_uri = redirect_uri;
    c.client_id = j["client_id"].get<std::string>();
    if (j.contains("client_secret") && j["client_secret"].is_string())
        c.client_secret = j["client_secret"].get<std::string>();
    c.auth_method =
        j.contains("token_endpoint_auth_method") && j["token_endpoint_auth_method"].is_string()
            ? j["token_endpoint_auth_method"].get<std::string>()
            : (c.client_secret.empty() ? "none" : "client_secret_basic");
    return c;
}

}  // namespace mcpproxy::oauth
