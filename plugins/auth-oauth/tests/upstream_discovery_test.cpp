// The upstream OAuth client's pure pieces: challenge parsing, well-known URL derivation, PKCE,
// metadata checks, discovery against scripted HTTP answers, the "upstreams" config.
#include <gtest/gtest.h>

#include <set>

#include "inbound_config.hpp"
#include "mcpproxy/sdk/testing/scripted_http_client.hpp"
#include "upstream/bearer_challenge.hpp"
#include "upstream/client_registration.hpp"
#include "upstream/discovery.hpp"
#include "upstream/oauth_http.hpp"
#include "upstream/oauth_urls.hpp"
#include "upstream/pkce.hpp"
#include "upstream/token_endpoint.hpp"

namespace mcpproxy::oauth {
namespace {

using sdk::testing::ScriptedHttpClient;
using Strings = std::vector<std::string>;

TEST(BearerChallenge, ReadsQuotedAndBareParameters) {
    const auto c = parse_bearer_challenge(
        R"(Bearer resource_metadata="https://mcp.example/.well-known/oauth-protected-resource/mcp", scope="files:read files:write", error=invalid_token)");
    ASSERT_TRUE(c);
    EXPECT_EQ(c->resource_metadata, "https://mcp.example/.well-known/oauth-protected-resource/mcp");
    EXPECT_EQ(c->scope, "files:read files:write");
    EXPECT_EQ(c->error, "invalid_token");
}

TEST(BearerChallenge, FindsBearerAmongOtherChallengesInAnyCase) {
    const auto c = parse_bearer_challenge(
        R"(Basic realm="x", bearer Resource_Metadata="https://a.example/m", Negotiate abc==)");
    ASSERT_TRUE(c);
    EXPECT_EQ(c->resource_metadata, "https://a.example/m");
    EXPECT_TRUE(c->scope.empty());
}

TEST(BearerChallenge, NoBearerMeansNone) {
    EXPECT_FALSE(parse_bearer_challenge(R"(Basic realm="bearer")"));
    EXPECT_FALSE(parse_bearer_challenge(""));
    EXPECT_TRUE(parse_bearer_challenge("Bearer"));
}

TEST(OAuthUrls, ProtectedResourceMetadataTriesThePathFirstThenTheRoot) {
    EXPECT_EQ(protected_resource_metadata_urls("https://mcp.example:8443/public/mcp?x=1"),
              (Strings{"https://mcp.example:8443/.well-known/oauth-protected-resource/public/mcp",
                       "https://mcp.example:8443/.well-known/oauth-protected-resource"}));
    EXPECT_EQ(protected_resource_metadata_urls("https://mcp.example/"),
              (Strings{"https://mcp.example/.well-known/oauth-protected-resource"}));
}

TEST(OAuthUrls, AuthorizationServerMetadataFollowsThePathInsertionRules) {
    EXPECT_EQ(authorization_server_metadata_urls("https://auth.example"),
              (Strings{"https://auth.example/.well-known/oauth-authorization-server",
                       "https://auth.example/.well-known/openid-configuration"}));
    EXPECT_EQ(authorization_server_metadata_urls("https://auth.example/tenant1/"),
              (Strings{"https://auth.example/.well-known/oauth-authorization-server/tenant1",
                       "https://auth.example/.well-known/openid-configuration/tenant1",
                       "https://auth.example/tenant1/.well-known/openid-configuration"}));
}

TEST(OAuthUrls, CanonicalResourceAndFormEncoding) {
    EXPECT_EQ(canonical_resource("HTTPS://MCP.Example/Path/mcp/#frag"),
              "https://mcp.example/Path/mcp");
    EXPECT_EQ(form_encode({{"redirect_uri", "http://127.0.0.1:8765/callback"}, {"scope", "a b"}}),
              "redirect_uri=http%3A%2F%2F127.0.0.1%3A8765%2Fcallback&scope=a%20b");
    const auto q = parse_query("code=abc%2F1&state=s+t&state=second&empty");
    EXPECT_EQ(q.at("code"), "abc/1");
    EXPECT_EQ(q.at("state"), "s t");
    EXPECT_EQ(q.at("empty"), "");
    EXPECT_EQ(with_query("https://a.example/authorize?x=1", {{"y", "2"}}),
              "https://a.example/authorize?x=1&y=2");
}

TEST(OAuthUrls, PlainHttpOnlyOnLoopback) {
    EXPECT_TRUE(is_http_url("https://auth.example/token"));
    EXPECT_TRUE(is_http_url("http://127.0.0.1:9000/token"));
    EXPECT_TRUE(is_http_url("http://localhost/token"));
    EXPECT_FALSE(is_http_url("http://auth.example/token"));
    EXPECT_FALSE(is_http_url("http://127.0.0.1.evil.example/token"));
    EXPECT_FALSE(is_http_url("file:///etc/passwd"));
}

TEST(Pkce, VerifierIsRandomUrlSafeAndTheChallengeIsItsSha256) {
    // Expected value computed independently (Python hashlib + urlsafe base64, no padding).
    EXPECT_EQ(s256_challenge("dBjftJeZ4CVP-mJ92K9rZ6cOs9Mgd6rS0sg9LjQ9vN8"),
              "F6BwZe7tJQQt0qPG2JhBZDrG702HTkTL07Vw_S7mP3Q");
    std::set<std::string> seen;
    for (int i = 0; i < 50; ++i) {
        const auto p = make_pkce();
        EXPECT_EQ(p.verifier.size(), 43U);
        EXPECT_EQ(p.verifier.find_first_not_of(
                      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
                  std::string::npos);
        EXPECT_EQ(p.challenge, s256_challenge(p.verifier));
        seen.insert(p.verifier);
    }
    EXPECT_EQ(seen.size(), 50U);
}

nlohmann::json as_metadata(const std::string& issuer) {
    return {{"issuer", issuer},
            {"authorization_endpoint", issuer + "/authorize"},
            {"token_endpoint", issuer + "/token"},
            {"registration_endpoint", issuer + "/register"},
            {"code_challenge_methods_supported", {"plain", "S256"}},
            {"scopes_supported", {"openid", "mcp"}}};
}

TEST(AuthorizationServerMetadata, RefusesAServerWithoutS256) {
    auto doc = as_metadata("https://auth.example");
    doc["code_challenge_methods_supported"] = {"plain"};
    try {
        (void)read_authorization_server_metadata(doc, "https://auth.example");
        FAIL() << "accepted metadata without S256";
    } catch (const OAuthFlowError& e) {
        EXPECT_NE(std::string(e.what()).find("S256"), std::string::npos) << e.what();
    }
    doc.erase("code_challenge_methods_supported");
    EXPECT_THROW((void)read_authorization_server_metadata(doc, "https://auth.example"),
                 OAuthFlowError);
}

TEST(AuthorizationServerMetadata, RefusesAnotherIssuerAndNonTlsEndpoints) {
    auto doc = as_metadata("https://other.example");
    EXPECT_THROW((void)read_authorization_server_metadata(doc, "https://auth.example"),
                 OAuthFlowError);
    doc = as_metadata("https://auth.example");
    doc["token_endpoint"] = "http://auth.example/token";
    EXPECT_THROW((void)read_authorization_server_metadata(doc, "https://auth.example"),
                 OAuthFlowError);
}

TEST(Discovery, FollowsTheChallengesResourceMetadataThenPathInsertedAsMetadata) {
    ScriptedHttpClient http;
    http.answer_json("https://mcp.example/custom-prm", 200,
                     nlohmann::json{{"resource", "https://mcp.example/mcp"},
                                    {"authorization_servers", {"https://auth.example/t1"}},
                                    {"scopes_supported", {"mcp:tools"}}}
                         .dump());
    // The RFC 8414 path-inserted form is missing; the OpenID path-inserted form answers.
    http.answer_json("https://auth.example/.well-known/openid-configuration/t1", 200,
                     as_metadata("https://auth.example/t1").dump());
    BearerChallenge challenge{"https://mcp.example/custom-prm", "", ""};
    const auto as = discover_authorization_server(http, "https://mcp.example/mcp", &challenge);
    EXPECT_EQ(as.issuer, "https://auth.example/t1");
    EXPECT_EQ(as.resource, "https://mcp.example/mcp");
    EXPECT_EQ(as.token_endpoint, "https://auth.example/t1/token");
    EXPECT_EQ(as.scopes_supported, Strings{"mcp:tools"});  // the resource's scopes win
    const auto requests = http.requests();
    ASSERT_EQ(requests.size(), 3U);
    EXPECT_EQ(requests[1].url, "https://auth.example/.well-known/oauth-authorization-server/t1");
}

TEST(Discovery, WithoutAChallengeTriesTheWellKnownUrlsAndChecksTheResource) {
    ScriptedHttpClient http;
    http.answer_json("https://mcp.example/.well-known/oauth-protected-resource", 200,
                     nlohmann::json{{"resource", "https://other.example/mcp"},
                                    {"authorization_servers", {"https://auth.example"}}}
                         .dump());
    try {
        (void)discover_authorization_server(http, "https://mcp.example/mcp", nullptr);
        FAIL() << "accepted metadata for another resource";
    } catch (const OAuthFlowError& e) {
        EXPECT_NE(std::string(e.what()).find("another resource"), std::string::npos);
    }
    EXPECT_EQ(http.requests().at(0).url,
              "https://mcp.example/.well-known/oauth-protected-resource/mcp");
}

TEST(Discovery, WithoutResourceMetadataTheServersOriginIsTheAuthorizationServer) {
    ScriptedHttpClient http;  // an MCP 2025-03-26 server: no RFC 9728 document
    http.answer_json("https://mcp.example/.well-known/oauth-authorization-server", 200,
                     as_metadata("https://mcp.example").dump());
    const auto as = discover_authorization_server(http, "https://mcp.example/v1/mcp", nullptr);
    EXPECT_EQ(as.issuer, "https://mcp.example");
    EXPECT_EQ(as.resource, "https://mcp.example/v1/mcp");
    EXPECT_TRUE(as.scopes_supported.empty());  // the server's own list is not asked for

    // A challenge that names a metadata URL which does not answer is an error, not a guess.
    BearerChallenge challenge{"https://mcp.example/missing-prm", "", ""};
    EXPECT_THROW(
        (void)discover_authorization_server(http, "https://mcp.example/v1/mcp", &challenge),
        OAuthFlowError);
}

// An MCP 2025-03-26 server whose RFC 8414 metadata at its origin names the issuer <origin>/oauth
// (the conformance suite's auth/2025-03-26-oauth-metadata-backcompat).
nlohmann::json origin_metadata_with_issuer_path() {
    auto doc = as_metadata("https://mcp.example/oauth");
    return doc;
}

TEST(Discovery, WithoutResourceMetadataTheOriginsIssuerMayHaveAPath) {
    ScriptedHttpClient http;
    http.answer_json("https://mcp.example/.well-known/oauth-authorization-server", 200,
                     origin_metadata_with_issuer_path().dump());
    const auto as = discover_authorization_server(http, "https://mcp.example/mcp", nullptr);
    EXPECT_EQ(as.issuer, "https://mcp.example/oauth");  // the login answer's `iss` must match it
    EXPECT_EQ(as.authorization_endpoint, "https://mcp.example/oauth/authorize");
    EXPECT_EQ(as.token_endpoint, "https://mcp.example/oauth/token");
    EXPECT_EQ(as.registration_endpoint, "https://mcp.example/oauth/register");
    EXPECT_EQ(as.resource, "https://mcp.example/mcp");
}

TEST(Discovery, WithoutResourceMetadataAnIssuerOnAnotherOriginIsRefused) {
    for (const std::string issuer :
         {"https://auth.example", "https://mcp.example:8443/oauth", "http://mcp.example/oauth"}) {
        ScriptedHttpClient http;
        http.answer_json("https://mcp.example/.well-known/oauth-authorization-server", 200,
                         as_metadata(issuer).dump());
        try {
            (void)discover_authorization_server(http, "https://mcp.example/mcp", nullptr);
            FAIL() << "accepted the issuer " << issuer;
        } catch (const OAuthFlowError& e) {
            EXPECT_NE(std::string(e.what()).find("another origin"), std::string::npos) << e.what();
        }
    }
}

TEST(Discovery, AnIssuerPathIsStillRefusedWhenResourceMetadataNamesTheServer) {
    ScriptedHttpClient http;  // RFC 8414 §3.3 applies in full outside the 2025-03-26 case
    http.answer_json("https://mcp.example/.well-known/oauth-protected-resource/mcp", 200,
                     nlohmann::json{{"resource", "https://mcp.example/mcp"},
                                    {"authorization_servers", {"https://mcp.example"}}}
                         .dump());
    http.answer_json("https://mcp.example/.well-known/oauth-authorization-server", 200,
                     origin_metadata_with_issuer_path().dump());
    try {
        (void)discover_authorization_server(http, "https://mcp.example/mcp", nullptr);
        FAIL() << "accepted an issuer that differs from the one the metadata was derived from";
    } catch (const OAuthFlowError& e) {
        EXPECT_NE(std::string(e.what()).find("names another issuer"), std::string::npos)
            << e.what();
    }
}

TEST(Discovery, WithoutResourceMetadataTheOriginsMetadataStillNeedsS256) {
    for (auto doc : {as_metadata("https://mcp.example"), origin_metadata_with_issuer_path()}) {
        doc["code_challenge_methods_supported"] = {"plain"};
        ScriptedHttpClient http;
        http.answer_json("https://mcp.example/.well-known/oauth-authorization-server", 200,
                         doc.dump());
        try {
            (void)discover_authorization_server(http, "https://mcp.example/mcp", nullptr);
            FAIL() << "accepted metadata without S256";
        } catch (const OAuthFlowError& e) {
            EXPECT_NE(std::string(e.what()).find("S256"), std::string::npos) << e.what();
        }
    }
}

void answer_404(ScriptedHttpClient& http, const std::string& url) {
    http.answer_json(url, 404, R"({"error":"not_found"})");
}

TEST(Discovery, WithoutAnyMetadataThe2025_03_26DefaultEndpointsAreUsed) {
    ScriptedHttpClient http;  // the conformance suite's auth/2025-03-26-oauth-endpoint-fallback
    answer_404(http, "https://mcp.example/.well-known/oauth-protected-resource/v1/mcp");
    answer_404(http, "https://mcp.example/.well-known/oauth-protected-resource");
    answer_404(http, "https://mcp.example/.well-known/oauth-authorization-server");
    answer_404(http, "https://mcp.example/.well-known/openid-configuration");
    const auto as = discover_authorization_server(http, "https://mcp.example/v1/mcp", nullptr);
    EXPECT_EQ(as.issuer, "https://mcp.example");
    EXPECT_EQ(as.authorization_endpoint, "https://mcp.example/authorize");
    EXPECT_EQ(as.token_endpoint, "https://mcp.example/token");
    EXPECT_EQ(as.registration_endpoint, "https://mcp.example/register");
    EXPECT_TRUE(as.revocation_endpoint.empty());
    EXPECT_EQ(as.resource, "https://mcp.example/v1/mcp");
    EXPECT_TRUE(as.scopes_supported.empty());
}

TEST(Discovery, DefaultEndpointsOnlyWhenTheOriginSaysItHasNoMetadata) {
    {
        ScriptedHttpClient http;  // a failing metadata endpoint is an error, not a reason to guess
        answer_404(http, "https://mcp.example/.well-known/oauth-authorization-server");
        http.answer_json("https://mcp.example/.well-known/openid-configuration", 500, "{}");
        EXPECT_THROW((void)discover_authorization_server(http, "https://mcp.example/mcp", nullptr),
                     OAuthFlowError);
    }
    {
        ScriptedHttpClient http;  // the challenge named resource metadata: no 2025-03-26 guess
        answer_404(http, "https://mcp.example/missing-prm");
        answer_404(http, "https://mcp.example/.well-known/oauth-authorization-server");
        answer_404(http, "https://mcp.example/.well-known/openid-configuration");
        BearerChallenge challenge{"https://mcp.example/missing-prm", "", ""};
        EXPECT_THROW(
            (void)discover_authorization_server(http, "https://mcp.example/mcp", &challenge),
            OAuthFlowError);
    }
    {
        ScriptedHttpClient http;  // resource metadata names an AS without metadata: no guess
        http.answer_json("https://mcp.example/.well-known/oauth-protected-resource/mcp", 200,
                         nlohmann::json{{"resource", "https://mcp.example/mcp"},
                                        {"authorization_servers", {"https://auth.example"}}}
                             .dump());
        answer_404(http, "https://auth.example/.well-known/oauth-authorization-server");
        answer_404(http, "https://auth.example/.well-known/openid-configuration");
        EXPECT_THROW((void)discover_authorization_server(http, "https://mcp.example/mcp", nullptr),
                     OAuthFlowError);
    }
}

TEST(Discovery, SaysWhatItTriedWhenNothingAnswers) {
    ScriptedHttpClient http;
    try {
        (void)discover_authorization_server(http, "https://mcp.example/mcp", nullptr);
        FAIL();
    } catch (const OAuthFlowError& e) {
        const std::string m = e.what();
        EXPECT_NE(m.find("/.well-known/oauth-protected-resource/mcp"), std::string::npos) << m;
        EXPECT_NE(m.find("/.well-known/oauth-authorization-server"), std::string::npos) << m;
    }
}

TEST(TokenAnswer, SortsIssuedRejectedAndFailed) {
    sdk::HttpClientResponse ok{
        200,
        {},
        R"({"access_token":"a","token_type":"Bearer","refresh_token":"r","expires_in":60})",
        {}};
    auto a = read_token_answer(ok);
    EXPECT_EQ(a.kind, TokenAnswer::Kind::issued);
    EXPECT_EQ(a.tokens.expires_in, 60);
    EXPECT_EQ(a.tokens.refresh_token, "r");
    a = read_token_answer({400, {}, R"({"error":"invalid_grant"})", {}});
    EXPECT_EQ(a.kind, TokenAnswer::Kind::rejected);
    a = read_token_answer({503, {}, "busy", {}});
    EXPECT_EQ(a.kind, TokenAnswer::Kind::failed);
    a = read_token_answer({200, {}, R"({"access_token":"a","token_type":"mac"})", {}});
    EXPECT_EQ(a.kind, TokenAnswer::Kind::failed);
    // Whatever a server says, the lifetime stays in range (at most ten years).
    a = read_token_answer(
        {200, {}, R"({"access_token":"a","token_type":"Bearer","expires_in":1e300})", {}});
    EXPECT_EQ(a.tokens.expires_in, 315'360'000);
    a = read_token_answer(
        {200, {}, R"({"access_token":"a","token_type":"Bearer","expires_in":3600.9})", {}});
    EXPECT_EQ(a.tokens.expires_in, 3600);
}

TEST(TokenClientAuthentication, PublicBasicAndPostClients) {
    ScriptedHttpClient http;
    http.answer("POST", "https://auth.example/token",
                {200, {}, R"({"access_token":"a","token_type":"bearer"})", {}});
    const std::vector<std::pair<std::string, std::string>> grant{{"grant_type", "refresh_token"},
                                                                 {"refresh_token", "r"}};
    (void)request_tokens(http, {"https://auth.example/token", "pub", "", "none"}, grant);
    (void)request_tokens(
        http, {"https://auth.example/token", "id:1", "s e/c", "client_secret_basic"}, grant);
    (void)request_tokens(http, {"https://auth.example/token", "id2", "sec2", "client_secret_post"},
                         grant);
    const auto r = http.requests();
    ASSERT_EQ(r.size(), 3U);
    EXPECT_EQ(r[0].headers.count("Authorization"), 0U);
    EXPECT_EQ(parse_query(r[0].body).at("client_id"), "pub");
    EXPECT_EQ(r[0].headers.at("Content-Type"), "application/x-www-form-urlencoded");
    // RFC 6749 §2.3.1: form-encode id and secret, then base64 ("id%3A1:s%20e%2Fc").
    EXPECT_EQ(r[1].headers.at("Authorization"), "Basic aWQlM0ExOnMlMjBlJTJGYw==");
    EXPECT_EQ(parse_query(r[1].body).count("client_secret"), 0U);
    EXPECT_EQ(parse_query(r[2].body).at("client_secret"), "sec2");
    EXPECT_EQ(r[2].headers.count("Authorization"), 0U);
}

TEST(ClientRegistration, RegistersANativeClientWithTheLoopbackRedirect) {
    ScriptedHttpClient http;
    http.answer(
        "POST", "https://auth.example/register",
        {201,
         {},
         R"({"client_id":"dyn-1","client_secret":"x","token_endpoint_auth_method":"client_secret_post"})",
         {}});
    AuthorizationServer as;
    as.issuer = "https://auth.example";
    as.registration_endpoint = "https://auth.example/register";
    const auto c = register_client(http, as, "files", "http://127.0.0.1:8765/callback", "mcp");
    EXPECT_EQ(c.client_id, "dyn-1");
    EXPECT_EQ(c.auth_method, "client_secret_post");
    const auto body = nlohmann::json::parse(http.requests().at(0).body);
    EXPECT_EQ(body["redirect_uris"], nlohmann::json::array({"http://127.0.0.1:8765/callback"}));
    EXPECT_EQ(body["token_endpoint_auth_method"], "none");
    EXPECT_EQ(body["scope"], "mcp");

    as.registration_endpoint.clear();
    try {
        (void)register_client(http, as, "files", "http://127.0.0.1:8765/callback", "");
        FAIL();
    } catch (const OAuthFlowError& e) {
        EXPECT_NE(std::string(e.what()).find("config.upstreams.files.client_id"),
                  std::string::npos);
    }
}

std::string config_error(const std::string& text) {
    try {
        (void)parse_oauth_config(text);
    } catch (const std::invalid_argument& e) {
        return e.what();
    }
    return "no error";
}

TEST(UpstreamConfig, ParsesServersPortAndTimeout) {
    const auto c = parse_oauth_config(
        R"({"upstreams":{"github":{"client_id":"abc","client_secret":"s3cr3t","scopes":["repo"],
        "send_resource":false},"notion":{}},"callback_port":9999,"login_timeout":"30s"})");
    EXPECT_FALSE(c.inbound);
    EXPECT_EQ(c.upstream.callback_port, 9999);
    EXPECT_EQ(c.upstream.login_timeout, std::chrono::seconds(30));
    EXPECT_EQ(c.upstream.redirect_uri(), "http://127.0.0.1:9999/callback");
    const auto gh = c.upstream.for_server("github");
    EXPECT_EQ(gh.client_id, "abc");
    EXPECT_FALSE(gh.send_resource);
    EXPECT_EQ(gh.scopes, Strings{"repo"});
    EXPECT_TRUE(c.upstream.for_server("unknown").send_resource);
    EXPECT_EQ(parse_oauth_config("{}").upstream.callback_port, 8765);
}

TEST(UpstreamConfig, NamesTheKeyOfEachErrorAndNeverQuotesTheSecret) {
    EXPECT_NE(config_error(R"({"upstreams":{"gh":{"client_secret":"s3cr3t"}}})")
                  .find("config.upstreams.gh.client_secret"),
              std::string::npos);
    EXPECT_EQ(config_error(R"({"upstreams":{"gh":{"client_secret":"s3cr3t"}}})").find("s3cr3t"),
              std::string::npos);
    EXPECT_NE(config_error(R"({"upstreams":{"gh":{"scope":["x"]}}})").find("config.upstreams.gh"),
              std::string::npos);
    EXPECT_NE(config_error(R"({"upstreams":{"gh":{"send_resource":"no"}}})").find("send_resource"),
              std::string::npos);
    EXPECT_NE(config_error(R"({"callback_port":70000})").find("config.callback_port"),
              std::string::npos);
    EXPECT_NE(config_error(R"({"upstreams":[]})").find("config.upstreams"), std::string::npos);
    EXPECT_NE(config_error(R"({"upstream":{}})").find("upstream"), std::string::npos);
}

}  // namespace
}  // namespace mcpproxy::oauth
