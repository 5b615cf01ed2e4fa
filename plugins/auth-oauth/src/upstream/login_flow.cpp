#include "upstream/login_flow.hpp"

#include <algorithm>

#include "upstream/client_registration.hpp"
#include "upstream/discovery.hpp"
#include "upstream/loopback_callback.hpp"
#include "upstream/oauth_http.hpp"
#include "upstream/oauth_urls.hpp"
#include "upstream/pkce.hpp"
#include "upstream/token_endpoint.hpp"

namespace mcpproxy::oauth {
namespace {

std::string join(const std::vector<std::string>& words) {
    std::string out;
    for (const auto& w : words) out += (out.empty() ? "" : " ") + w;
    return out;
}

ClientRecord client_for(sdk::HttpClient& http, TokenStore& store, const LoginRequest& request,
                        const AuthorizationServer& as, const std::string& redirect_uri,
                        const std::string& scope, std::ostream& out) {
    if (!request.client.client_id.empty()) {
        ClientRecord c{request.server,
                       as.issuer,
                       redirect_uri,
                       request.client.client_id,
                       request.client.client_secret,
                       "none"};
        if (!c.client_secret.empty()) {
            const auto& m = as.token_auth_methods;
            const bool post_only = std::find(m.begin(), m.end(), "client_secret_post") != m.end() &&
                                   std::find(m.begin(), m.end(), "client_secret_basic") == m.end();
            c.auth_method = post_only ? "client_secret_post" : "client_secret_basic";
        }
        return c;
    }
    if (auto stored = store.client(request.server);
        stored && stored->issuer == as.issuer && stored->redirect_uri == redirect_uri) {
        return *stored;
    }
    auto registered = register_client(http, as, request.server, redirect_uri, scope);
    store.put_client(registered);
    out << "Registered mcpproxy as an OAuth client at " << as.issuer << "\n";
    return registered;
}

}  // namespace

TokenRecord run_login(sdk::HttpClient& http, TokenStore& store, const LoginRequest& request,
                      std::ostream& out, std::int64_t now_seconds) {
    const auto challenge = probe_challenge(http, request.server_url);
    const auto as =
        discover_authorization_server(http, request.server_url, challenge ? &*challenge : nullptr);
    std::string scope = join(request.client.scopes);
    if (scope.empty() && challenge) scope = challenge->scope;
    if (scope.empty()) scope = join(as.scopes_supported);

    const std::string redirect_uri =
        "http://127.0.0.1:" + std::to_string(request.callback_port) + "/callback";
    LoopbackCallback callback(request.callback_port);  // bound before anyone can be redirected
    const auto client = client_for(http, store, request, as, redirect_uri, scope, out);

    const auto pkce = make_pkce();
    const auto state = random_urlsafe(24);
    std::vector<std::pair<std::string, std::string>> query{
        {"response_type", "code"},         {"client_id", client.client_id},
        {"redirect_uri", redirect_uri},    {"code_challenge", pkce.challenge},
        {"code_challenge_method", "S256"}, {"state", state}};
    if (!scope.empty()) query.emplace_back("scope", scope);
    if (request.client.send_resource) query.emplace_back("resource", as.resource);
    const auto url = with_query(as.authorization_endpoint, query);

    out << "Open this URL in a browser to log in to \"" << request.server << "\":\n\n  " << url
        << "\n\nWaiting for the answer on " << redirect_uri << " ..." << std::endl;
    if (request.open_browser) request.open_browser(url);

    auto params = callback.wait(request.timeout, state);
    if (!params) {
        throw OAuthFlowError("no answer from the browser within " +
                             std::to_string(request.timeout.count() / 1000) + " s");
    }
    if (params->count("error") != 0) {
        throw OAuthFlowError("the authorization server refused the login: " +
                             (*params)["error"].substr(0, 64));
    }
    if (const auto iss = params->find("iss"); iss != params->end() && iss->second != as.issuer) {
        throw OAuthFlowError("the login answer names another issuer (RFC 9207 mix-up check)");
    }
    const auto code = (*params)["code"];
    if (code.empty()) throw OAuthFlowError("the login answer holds no authorization code");

    std::vector<std::pair<std::string, std::string>> grant{{"grant_type", "authorization_code"},
                                                           {"code", code},
                                                           {"redirect_uri", redirect_uri},
                                                           {"code_verifier", pkce.verifier}};
    if (request.client.send_resource) grant.emplace_back("resource", as.resource);
    const TokenClient token_client{as.token_endpoint, client.client_id, client.client_secret,
                                   client.auth_method};
    const auto answer = request_tokens(http, token_client, std::move(grant));
    if (answer.kind != TokenAnswer::Kind::issued) {
        throw OAuthFlowError("cannot exchange the authorization code: " + answer.problem);
    }
    TokenRecord r;
    r.server = request.server;
    r.issuer = as.issuer;
    r.resource = as.resource;
    r.send_resource = request.client.send_resource;
    r.token_endpoint = as.token_endpoint;
    r.revocation_endpoint = as.revocation_endpoint;
    r.client_id = client.client_id;
    r.client_secret = client.client_secret;
    r.auth_method = client.auth_method;
    r.access_token = answer.tokens.access_token;
    r.refresh_token = answer.tokens.refresh_token;
    r.scope = answer.tokens.scope.empty() ? scope : answer.tokens.scope;
    r.obtained_at = now_seconds;
    r.expires_at = answer.tokens.expires_in > 0 ? now_seconds + answer.tokens.expires_in : 0;
    store.put_token(r);
    return r;
}

}  // namespace mcpproxy::oauth
