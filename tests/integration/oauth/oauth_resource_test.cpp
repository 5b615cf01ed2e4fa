// auth-oauth as a resource server against the real binary: a test issuer serves metadata and a
// JWKS over HTTP; tokens are RS256 / ES256 / EdDSA JWTs. Wrong audience, expired, bad signature,
// unknown kid -> 401 with a resource_metadata challenge; missing scope -> 403 insufficient_scope;
// a valid token calls a tool; a rotated key is picked up.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <thread>

#include "tests/integration/oauth/test_issuer.hpp"
#include "tests/support/proxy_process.hpp"
#include "tests/support/raw_http.hpp"
#include "tests/support/temp_dir.hpp"

namespace mcpproxy::test::oauth {
namespace {

using Json = nlohmann::json;
namespace http = boost::beast::http;

constexpr const char* kResource = "https://mcp.example.test/mcp";
constexpr const char* kMetadataUrl =
    "https://mcp.example.test/.well-known/oauth-protected-resource/mcp";

std::int64_t now_s() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

struct ProxyOptions {
    Json extra = Json::object();        // merged into the top level of the config
    bool configure_resource = true;     // false: the resource follows the tunnel's public URL
    Json more_plugins = Json::array();  // after auth-oauth
    std::vector<std::string> env;
};

class OAuthProxy {
public:
    explicit OAuthProxy(const TestIssuer& issuer, const Json& extra = Json::object())
        : OAuthProxy(issuer, ProxyOptions{extra}) {}
    OAuthProxy(const TestIssuer& issuer, const ProxyOptions& options) {
        Json inbound{
            {"issuer", issuer.issuer()},
            {"required_scopes", {"mcp:tools"}},
            {"leeway", "5s"},
            {"jwks_min_refetch_interval", "200ms"},
            {"rules",
             {{{"group", "admins"}, {"servers", "*"}, {"permissions", "read,write,destructive"}},
              {{"any", true}, {"servers", "*"}, {"permissions", "read,write"}}}}};
        if (options.configure_resource) inbound["resource"] = kResource;
        Json plugins =
            Json::array({Json{{"name", "auth-oauth"}, {"config", {{"inbound", inbound}}}}});
        for (const auto& p : options.more_plugins) plugins.push_back(p);
        Json config{{"listen", "127.0.0.1:0"},
                    {"routing_mode", "direct"},
                    {"log_level", "debug"},
                    {"plugins", plugins},
                    {"mcpServers", {{{"name", "alpha"}, {"command", OAUTH_TEST_UPSTREAM}}}}};
        config.update(options.extra);
        dir_.write("config.json", config.dump(2));
        auto env = options.env;
        env.push_back("FAKE_CLOUDFLARED_STATE=" + state_file().string());
        proxy_ = std::make_unique<ProxyProcess>(
            std::vector<std::string>{"--config", (dir_ / "config.json").string()}, dir_.path(),
            env);
        if (!proxy_->started())
            throw std::runtime_error("mcpproxy did not start:\n" + proxy_->log());
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
        while (std::chrono::steady_clock::now() < deadline) {
            if (http_request(port(), http::verb::get, "/healthz").result_int() == 200 &&
                proxy_->log().find("JWKS loaded") != std::string::npos) {
                return;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        throw std::runtime_error("mcpproxy did not become ready:\n" + proxy_->log());
    }
    [[nodiscard]] unsigned short port() const { return proxy_->port(); }
    [[nodiscard]] std::string log() const { return proxy_->log(); }
    // Where the fake cloudflared (when one runs) reports its public URL and edge port.
    [[nodiscard]] std::filesystem::path state_file() const { return dir_ / "cf-state.json"; }
    // Requests go to this port: the proxy's own, or a fake tunnel's edge in front of it.
    void send_to(unsigned short port) { target_port_ = port; }

    HttpResponse post(const std::string& token, const Json& message,
                      const std::string& session = {}) const {
        std::map<std::string, std::string> h{{"Content-Type", "application/json"},
                                             {"Accept", "application/json, text/event-stream"}};
        if (!token.empty()) h["Authorization"] = "Bearer " + token;
        if (!session.empty()) {
            h["Mcp-Session-Id"] = session;
            h["MCP-Protocol-Version"] = "2025-06-18";
        }
        return http_request(target_port_ != 0 ? target_port_ : port(), http::verb::post, "/mcp", h,
                            message.dump());
    }
    HttpResponse initialize(const std::string& token) const {
        return post(token, Json{{"jsonrpc", "2.0"},
                                {"id", 1},
                                {"method", "initialize"},
                                {"params",
                                 {{"protocolVersion", "2025-06-18"},
                                  {"capabilities", Json::object()},
                                  {"clientInfo", {{"name", "oauth-test"}, {"version", "1"}}}}}});
    }

    // initialize + initialized + tools/call alpha__echo(text); the call's response.
    HttpResponse call_echo(const std::string& token, const std::string& text) const {
        const auto init = initialize(token);
        if (init.result_int() != 200) return init;
        const std::string session(init["Mcp-Session-Id"]);
        post(token, Json{{"jsonrpc", "2.0"}, {"method", "notifications/initialized"}}, session);
        return post(token,
                    Json{{"jsonrpc", "2.0"},
                         {"id", 2},
                         {"method", "tools/call"},
                         {"params", {{"name", "alpha__echo"}, {"arguments", {{"text", text}}}}}},
                    session);
    }

private:
    TempDir dir_;
    std::unique_ptr<ProxyProcess> proxy_;
    unsigned short target_port_ = 0;
};

Json claims(TestIssuer& issuer, Json extra = Json::object()) {
    Json c{{"iss", issuer.issuer()},
           {"aud", kResource},
           {"sub", "user-1"},
           {"email", "user@example.test"},
           {"scope", "openid mcp:tools"},
           {"iat", now_s()},
           {"exp", now_s() + 600}};
    c.update(extra);
    return c;
}

void expect_401(const HttpResponse& r, const std::string& what) {
    EXPECT_EQ(r.result_int(), 401) << what << ": " << r.body();
    const std::string challenge(r["WWW-Authenticate"]);
    EXPECT_NE(challenge.find(std::string("resource_metadata=\"") + kMetadataUrl + "\""),
              std::string::npos)
        << what << ": " << challenge;
    EXPECT_NE(challenge.find("error=\"invalid_token\""), std::string::npos)
        << what << ": " << challenge;
    const auto body = Json::parse(r.body());
    EXPECT_EQ(body.size(), 2U) << what;
    EXPECT_EQ(body["error"], "unauthorized");
}

class OAuthResource : public ::testing::Test {
protected:
    void SetUp() override {
        issuer_.publish({rsa_, ec_, ed_});
        proxy_ = std::make_unique<OAuthProxy>(issuer_);
    }
    TestIssuer issuer_;
    SigningKey rsa_ = make_signing_key("rsa-1", "RS256");
    SigningKey ec_ = make_signing_key("ec-1", "ES256");
    SigningKey ed_ = make_signing_key("ed-1", "EdDSA");
    std::unique_ptr<OAuthProxy> proxy_;
};

TEST_F(OAuthResource, ServesProtectedResourceMetadataAndChallengesWithoutAToken) {
    for (const char* path :
         {"/.well-known/oauth-protected-resource", "/.well-known/oauth-protected-resource/mcp"}) {
        const auto r = http_request(proxy_->port(), http::verb::get, path);
        ASSERT_EQ(r.result_int(), 200) << path;
        const auto doc = Json::parse(r.body());
        EXPECT_EQ(doc["resource"], kResource);
        EXPECT_EQ(doc["authorization_servers"], Json::array({issuer_.issuer()}));
        EXPECT_EQ(doc["scopes_supported"], Json::array({"mcp:tools"}));
    }
    const auto r = proxy_->initialize("");
    EXPECT_EQ(r.result_int(), 401);
    EXPECT_EQ(std::string(r["WWW-Authenticate"]),
              std::string("Bearer resource_metadata=\"") + kMetadataUrl + "\"");
}

TEST_F(OAuthResource, ValidTokensOfEachAlgorithmCallATool) {
    for (const auto* key : {&rsa_, &ec_, &ed_}) {
        const auto token = sign_jwt(*key, claims(issuer_));
        const auto init = proxy_->initialize(token);
        ASSERT_EQ(init.result_int(), 200) << key->alg << ": " << init.body() << proxy_->log();
        const std::string session(init["Mcp-Session-Id"]);
        proxy_->post(token, Json{{"jsonrpc", "2.0"}, {"method", "notifications/initialized"}},
                     session);
        const auto call = proxy_->post(
            token,
            Json{{"jsonrpc", "2.0"},
                 {"id", 2},
                 {"method", "tools/call"},
                 {"params",
                  {{"name", "alpha__echo"}, {"arguments", {{"text", "jwt " + key->alg}}}}}},
            session);
        EXPECT_EQ(call.result_int(), 200) << key->alg;
        EXPECT_NE(call.body().find("jwt " + key->alg), std::string::npos) << call.body();
    }
}

TEST_F(OAuthResource, InvalidTokensGet401) {
    expect_401(
        proxy_->initialize(sign_jwt(rsa_, claims(issuer_, {{"aud", "https://other.example/mcp"}}))),
        "wrong audience");
    expect_401(proxy_->initialize(sign_jwt(rsa_, claims(issuer_, {{"exp", now_s() - 60}}))),
               "expired");
    expect_401(proxy_->initialize(sign_jwt(rsa_, claims(issuer_, {{"nbf", now_s() + 600}}))),
               "not yet valid");
    expect_401(
        proxy_->initialize(sign_jwt(rsa_, claims(issuer_, {{"iss", "http://evil.example"}}))),
        "wrong issuer");
    // Bad signature: the payload changed after signing, and a key signing under another's kid.
    auto token = sign_jwt(rsa_, claims(issuer_));
    const auto other = sign_jwt(rsa_, claims(issuer_, {{"sub", "admin"}}));
    const auto tampered = token.substr(0, token.find('.')) +
                          other.substr(other.find('.'), other.rfind('.') - other.find('.')) +
                          token.substr(token.rfind('.'));
    expect_401(proxy_->initialize(tampered), "bad signature (payload swapped)");
    const auto impostor = make_signing_key("rsa-1", "RS256");
    expect_401(proxy_->initialize(sign_jwt(impostor, claims(issuer_))),
               "bad signature (wrong key)");
    expect_401(proxy_->initialize(sign_jwt(make_signing_key("nobody", "RS256"), claims(issuer_))),
               "unknown kid");
    // None of the tokens appears in the log.
    EXPECT_EQ(proxy_->log().find(token.substr(token.rfind('.') + 1)), std::string::npos);
}

TEST_F(OAuthResource, MissingScopeGets403InsufficientScope) {
    const auto r = proxy_->initialize(sign_jwt(ec_, claims(issuer_, {{"scope", "openid"}})));
    EXPECT_EQ(r.result_int(), 403) << r.body();
    const std::string challenge(r["WWW-Authenticate"]);
    EXPECT_NE(challenge.find("error=\"insufficient_scope\""), std::string::npos) << challenge;
    EXPECT_NE(challenge.find("scope=\"mcp:tools\""), std::string::npos) << challenge;
    EXPECT_NE(challenge.find(kMetadataUrl), std::string::npos) << challenge;
    EXPECT_EQ(Json::parse(r.body())["error"], "forbidden");
}

TEST_F(OAuthResource, RotatedSigningKeyIsFetchedOnItsFirstUse) {
    const auto rotated = make_signing_key("rsa-2", "RS256");
    issuer_.publish({rotated, ec_, ed_});  // rsa-1 retired
    const auto token = sign_jwt(rotated, claims(issuer_));
    int status = 0;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (std::chrono::steady_clock::now() < deadline) {
        status = proxy_->initialize(token).result_int();
        if (status == 200) break;
        EXPECT_EQ(status, 401);
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    EXPECT_EQ(status, 200) << proxy_->log();
    // The retired key no longer verifies anything.
    expect_401(proxy_->initialize(sign_jwt(rsa_, claims(issuer_))), "retired key");
    // Unknown kids do not make the proxy hammer the issuer: at most one fetch per 200 ms.
    const int before = issuer_.jwks_fetches();
    const auto unknown = sign_jwt(make_signing_key("ghost", "ES256"), claims(issuer_));
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < 30; ++i) (void)proxy_->initialize(unknown);
    const auto elapsed_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                                std::chrono::steady_clock::now() - start)
                                .count();
    EXPECT_LE(issuer_.jwks_fetches() - before, 2 + elapsed_ms / 200)
        << "elapsed " << elapsed_ms << " ms";
}

TEST(OAuthTunnel, TheTunneledListenerServesTheMetadataWhenThisBridgeIsActiveThere) {
    TestIssuer issuer;
    issuer.publish({make_signing_key("ec-1", "ES256")});
    const OAuthProxy proxy(issuer, Json{{"tunnel", {{"enabled", true}, {"auth", {"auth-oauth"}}}}});
    const auto doc =
        http_request(proxy.port(), http::verb::get, "/.well-known/oauth-protected-resource/mcp");
    ASSERT_EQ(doc.result_int(), 200) << proxy.log();
    EXPECT_EQ(Json::parse(doc.body())["resource"], kResource);
    const auto r = proxy.initialize("");
    EXPECT_EQ(r.result_int(), 401);
    EXPECT_NE(std::string(r["WWW-Authenticate"]).find(kMetadataUrl), std::string::npos);
    // Nothing else was added: the tunneled listener still has no /readyz.
    EXPECT_EQ(http_request(proxy.port(), http::verb::get, "/readyz").result_int(), 404);
}

// The fake cloudflared (tests/fakes) runs a quick tunnel with a loopback "edge" in front of the
// proxy. Without a configured resource, the resource is the tunnel's public URL + /mcp.
TEST(OAuthTunnel, WithoutAConfiguredResourceTheResourceFollowsTheTunnelsPublicUrl) {
    const std::string fakes = MCPPROXY_FAKES_DIR;
    const char* path = std::getenv("PATH");
    ::setenv("PATH", (fakes + ":" + (path != nullptr ? path : "/usr/bin:/bin")).c_str(), 1);
    TestIssuer issuer;
    const auto key = make_signing_key("ec-1", "ES256");
    issuer.publish({key});
    ProxyOptions options;
    options.extra =
        Json{{"tunnel", {{"enabled", true}, {"require_ready", false}, {"auth", {"auth-oauth"}}}}};
    options.configure_resource = false;
    options.more_plugins = Json::array(
        {Json{{"name", "tunnel-cloudflared"}, {"config", {{"poll_interval_ms", 100}}}}});
    OAuthProxy proxy(issuer, options);

    const auto metadata = [&] {
        return http_request(proxy.port(), http::verb::get,
                            "/.well-known/oauth-protected-resource/mcp");
    };
    // Poll until the tunnel is ready; until then the metadata says there is no resource yet.
    std::string resource;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
    while (resource.empty() && std::chrono::steady_clock::now() < deadline) {
        const auto r = metadata();
        if (r.result_int() == 200) {
            resource = Json::parse(r.body())["resource"];
        } else {
            EXPECT_EQ(r.result_int(), 503) << r.body();
            EXPECT_EQ(Json::parse(r.body())["error"], "resource_unknown");
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
    }
    ASSERT_FALSE(resource.empty()) << proxy.log();
    std::ifstream state_in(proxy.state_file());
    const auto state = Json::parse(state_in, nullptr, false);
    ASSERT_TRUE(state.is_object()) << proxy.log();
    const auto public_url = state.at("url").get<std::string>();
    EXPECT_EQ(resource, public_url + "/mcp");

    proxy.send_to(static_cast<unsigned short>(state.at("edge_port").get<int>()));
    const auto challenge = proxy.initialize("");
    EXPECT_EQ(challenge.result_int(), 401);
    EXPECT_EQ(
        std::string(challenge["WWW-Authenticate"]),
        "Bearer resource_metadata=\"" + public_url + "/.well-known/oauth-protected-resource/mcp\"");

    auto token_claims = claims(issuer, {{"aud", resource}});
    const auto call = proxy.call_echo(sign_jwt(key, token_claims), "through the tunnel");
    EXPECT_EQ(call.result_int(), 200) << call.body() << proxy.log();
    EXPECT_NE(call.body().find("through the tunnel"), std::string::npos) << call.body();
    // A token for another resource (the old fixed one) is refused.
    EXPECT_EQ(proxy.initialize(sign_jwt(key, claims(issuer))).result_int(), 401);
}

}  // namespace
}  // namespace mcpproxy::test::oauth
