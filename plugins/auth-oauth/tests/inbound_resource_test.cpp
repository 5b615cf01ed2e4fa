// The inbound resource URL: a configured "resource" wins; without it the resource (metadata
// document, 401 challenge, required "aud") follows the first tunnel public URL at request time;
// with neither, tokens are refused. Real Ed25519-signed JWTs against the plugin on a TestHost.
#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <thread>

#include "base64url.hpp"
#include "mcpproxy/sdk/testing/test_host.hpp"
#include "mcpproxy/sdk/testing/test_request.hpp"
#include "oauth_plugin.hpp"

namespace mcpproxy::oauth {
namespace {

using sdk::AuthOutcome;
using sdk::testing::TestHost;
using sdk::testing::TestRequest;

constexpr const char* kIssuer = "https://idp.test";
constexpr const char* kJwksUri = "https://idp.test/jwks";

class SigningKey {
public:
    SigningKey() : key_(EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"), &EVP_PKEY_free) {}

    [[nodiscard]] std::string jwks() const {
        unsigned char raw[32];
        std::size_t len = sizeof raw;
        EVP_PKEY_get_raw_public_key(key_.get(), raw, &len);
        const auto x = base64url_encode(std::string_view(reinterpret_cast<char*>(raw), len));
        return nlohmann::json{
            {"keys", {{{"kty", "OKP"}, {"crv", "Ed25519"}, {"kid", "k1"}, {"x", x}}}}}
            .dump();
    }

    [[nodiscard]] std::string token(const std::string& audience) const {
        const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                             std::chrono::system_clock::now().time_since_epoch())
                             .count();
        const auto signed_part =
            base64url_encode(R"({"alg":"EdDSA","kid":"k1","typ":"JWT"})") + "." +
            base64url_encode(nlohmann::json{
                {"iss", kIssuer}, {"aud", audience}, {"sub", "alice"}, {"exp", now + 300}}
                                 .dump());
        std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(),
                                                                    &EVP_MD_CTX_free);
        unsigned char sig[64];
        std::size_t sig_len = sizeof sig;
        EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, key_.get());
        EVP_DigestSign(ctx.get(), sig, &sig_len,
                       reinterpret_cast<const unsigned char*>(signed_part.data()),
                       signed_part.size());
        return signed_part + "." +
               base64url_encode(std::string_view(reinterpret_cast<char*>(sig), sig_len));
    }

private:
    std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key_;
};

// GET of the protected-resource metadata, as the host would route it.
class MetadataRequest final : public sdk::RouteRequest {
public:
    [[nodiscard]] std::string_view method() const override { return "GET"; }
    [[nodiscard]] std::string_view path() const override {
        return "/.well-known/oauth-protected-resource/mcp";
    }
    [[nodiscard]] std::optional<std::string_view> query_param(std::string_view) const override {
        return std::nullopt;
    }
    [[nodiscard]] std::optional<std::string_view> header(std::string_view) const override {
        return std::nullopt;
    }
    [[nodiscard]] std::string_view body() const override { return {}; }
};

class InboundResource : public ::testing::Test {
protected:
    void start(const std::string& resource_json) {
        host_ = std::make_unique<TestHost>(R"({"inbound":{"issuer":")" + std::string(kIssuer) +
                                           R"(","jwks_uri":")" + kJwksUri + "\"" + resource_json +
                                           R"(,"rules":[{"any":true,"servers":"*"}]}})");
        host_->scripted_http().answer_json(kJwksUri, 200, key_.jwks());
        plugin_ = std::make_unique<OAuthPlugin>(*host_);
        plugin_->start();
        for (int i = 0;
             i < 200 && plugin_->health_detail().find("1 signing key") == std::string::npos; ++i) {
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        ASSERT_NE(plugin_->health_detail().find("1 signing key"), std::string::npos);
    }
    void TearDown() override {
        if (plugin_) plugin_->stop();
    }

    sdk::AuthResult call_with(const std::string& audience) {
        const auto request =
            TestRequest{}.with_header("Authorization", "Bearer " + key_.token(audience));
        return plugin_->auth_bridge()->authenticate(request);
    }
    // Through the registered well-known route, whose handler asks the host for public_urls().
    nlohmann::json metadata() {
        const auto r = host_->call_route(sdk::RouteSurface::well_known, MetadataRequest{});
        auto doc = nlohmann::json::parse(r.body);
        doc["status"] = r.status;
        return doc;
    }
    std::string challenge() { return plugin_->auth_bridge()->challenge(TestRequest{}); }

    SigningKey key_;
    std::unique_ptr<TestHost> host_;
    std::unique_ptr<OAuthPlugin> plugin_;
};

TEST_F(InboundResource, ConfiguredResourceWinsOverTheTunnelUrl) {
    start(R"(,"resource":"https://mcp.example/mcp")");
    host_->set_public_urls({"https://tunnel.example"});
    EXPECT_EQ(metadata()["resource"], "https://mcp.example/mcp");
    // The registered well-known route serves the same document.
    const auto routed = host_->call_route(sdk::RouteSurface::well_known, MetadataRequest{});
    EXPECT_EQ(nlohmann::json::parse(routed.body)["resource"], "https://mcp.example/mcp");
    EXPECT_EQ(call_with("https://mcp.example/mcp").outcome, AuthOutcome::authenticated);
    const auto tunnel = call_with("https://tunnel.example/mcp");
    EXPECT_EQ(tunnel.outcome, AuthOutcome::rejected);
    EXPECT_EQ(tunnel.reason, "wrong_audience");
}

TEST_F(InboundResource, FollowsThePublicUrlAndItsChanges) {
    start("");
    host_->set_public_urls({"https://first.example/", "https://second.example"});
    const auto doc = metadata();
    EXPECT_EQ(doc["status"], 200);
    EXPECT_EQ(doc["resource"], "https://first.example/mcp");
    EXPECT_EQ(challenge(),
              "Bearer resource_metadata=\"https://first.example/.well-known/"
              "oauth-protected-resource/mcp\"");
    EXPECT_EQ(call_with("https://first.example/mcp").outcome, AuthOutcome::authenticated);
    EXPECT_EQ(call_with("https://second.example/mcp").reason, "wrong_audience");
    EXPECT_EQ(call_with("https://first.example/mcp/").reason, "wrong_audience");

    host_->set_public_urls({"https://moved.example"});
    EXPECT_EQ(metadata()["resource"], "https://moved.example/mcp");
    EXPECT_EQ(call_with("https://moved.example/mcp").outcome, AuthOutcome::authenticated);
    const auto old = call_with("https://first.example/mcp");
    EXPECT_EQ(old.outcome, AuthOutcome::rejected);
    EXPECT_EQ(old.reason, "wrong_audience");
}

TEST_F(InboundResource, NoTunnelAndNoResourceRefusesTokensAndLogsOnce) {
    start("");
    const auto doc = metadata();
    EXPECT_EQ(doc["status"], 503);
    EXPECT_EQ(doc["error"], "resource_unknown");
    for (const auto* audience : {"", "https://anything.example/mcp"}) {
        const auto r = call_with(audience);
        EXPECT_EQ(r.outcome, AuthOutcome::rejected);
        EXPECT_EQ(r.reason, "no_resource_url");
        EXPECT_EQ(r.challenge, "Bearer error=\"invalid_token\"");
    }
    int warnings = 0;
    for (const auto& line : host_->log().lines()) {
        if (line.message.find("no inbound resource URL") != std::string::npos) ++warnings;
    }
    EXPECT_EQ(warnings, 1);

    host_->set_public_urls({"https://late.example"});
    EXPECT_EQ(call_with("https://late.example/mcp").outcome, AuthOutcome::authenticated);
}

}  // namespace
}  // namespace mcpproxy::oauth
