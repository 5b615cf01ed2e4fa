// The optional Cloudflare Access origin check: /mcp on the tunneled listener needs a valid
// Cf-Access-Jwt-Assertion (RS256, team JWKS, iss, aud, exp) before any auth bridge is asked;
// unknown kids trigger a bounded refetch, so a rotated key works and a flood does not hammer the
// JWKS endpoint.
#include <gtest/gtest.h>

#include <fstream>
#include <thread>

#include "tests/integration/tunnel-cloudflared/cloudflared_harness.hpp"
#include "tests/integration/tunnel-cloudflared/jwks_server.hpp"
#include "tests/integration/tunnel-cloudflared/jwt_signer.hpp"

namespace mcpproxy::test::cloudflared {
namespace {
namespace http = boost::beast::http;
using tunnel::Workspace;

constexpr const char* kIssuer = "https://acme.cloudflareaccess.com";
constexpr const char* kAudience =
    "4714c1358e65fe4b408ad6d432a5f878f08194bdb4752441fd56faefa9b2b6f2";

long now_seconds() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

Json claims(long exp_offset = 600, std::string aud = kAudience, std::string iss = kIssuer) {
    return {{"aud", Json::array({aud})},
            {"email", "alice@example.com"},
            {"exp", now_seconds() + exp_offset},
            {"iat", now_seconds() - 10},
            {"nbf", now_seconds() - 10},
            {"iss", iss},
            {"type", "app"},
            {"sub", "7335d417-61da-459d-899c-0a01c76a2f94"}};
}

class AccessJwt : public ::testing::Test {
protected:
    void SetUp() override {
        jwks_.set_body(jwks_document({{"key-1", &key1_}}));
        secret_ = ws_.create_token("agent");
        const Json access{{"team", "acme"},
                          {"audience", kAudience},
                          {"certs_url", jwks_.url()},
                          {"min_refetch_ms", 1000},
                          {"leeway_seconds", 0}};
        proxy_ = std::make_unique<TunnelProxy>(
            ws_,
            tunnel_config("tunnel-cloudflared", {{"poll_interval_ms", 100}, {"access", access}},
                          false),
            std::vector<std::string>{"FAKE_CLOUDFLARED_ACCESS_JWT_FILE=" +
                                     (ws_.path() / "jwt").string()});
    }

    int call(const std::string& jwt) {
        auto headers = tunnel::bearer(secret_);
        if (!jwt.empty()) headers["Cf-Access-Jwt-Assertion"] = jwt;
        return tunnel::mcp_initialize(proxy_->port(), headers).result_int();
    }

    Workspace ws_;
    JwksServer jwks_;
    RsaKey key1_;
    RsaKey key2_;
    std::string secret_;
    std::unique_ptr<TunnelProxy> proxy_;
};

TEST_F(AccessJwt, AcceptsOnlyValidAssertions) {
    EXPECT_EQ(call(make_jwt(key1_, "key-1", claims())), 200) << proxy_->log();
    const auto missing = tunnel::mcp_initialize(proxy_->port(), tunnel::bearer(secret_));
    EXPECT_EQ(missing.result_int(), 403);
    EXPECT_NE(missing.body().find("not_from_tunnel"), std::string::npos) << missing.body();
    EXPECT_EQ(call(make_jwt(key1_, "key-1", claims(-5))), 403) << "expired";
    EXPECT_EQ(call(make_jwt(key1_, "key-1", claims(600, "another-app"))), 403) << "wrong audience";
    EXPECT_EQ(
        call(make_jwt(key1_, "key-1", claims(600, kAudience, "https://evil.cloudflareaccess.com"))),
        403)
        << "wrong issuer";
    EXPECT_EQ(call(make_jwt(key2_, "key-1", claims())), 403)
        << "signed by another key under a known kid";
    auto tampered = make_jwt(key1_, "key-1", claims());
    tampered[tampered.find('.') + 5] ^= 1;
    EXPECT_EQ(call(tampered), 403) << "payload changed after signing";
    EXPECT_EQ(call("not.a.jwt"), 403);
    // /healthz is not gated.
    EXPECT_EQ(http_request(proxy_->port(), http::verb::get, "/healthz").result_int(), 200);
}

TEST_F(AccessJwt, UnknownKidRefetchesAtABoundedRateAndARotatedKeyWorks) {
    EXPECT_EQ(call(make_jwt(key1_, "key-1", claims())), 200);
    std::this_thread::sleep_for(std::chrono::milliseconds(1100));
    const int before = jwks_.fetches();
    for (int i = 0; i < 5; ++i) EXPECT_EQ(call(make_jwt(key2_, "key-2", claims())), 403);
    EXPECT_EQ(jwks_.fetches() - before, 1) << "unknown kids must not refetch on every request";

    // Cloudflare publishes the new key: after the refetch window the rotated kid is accepted.
    jwks_.set_body(jwks_document({{"key-1", &key1_}, {"key-2", &key2_}}));
    std::this_thread::sleep_for(std::chrono::milliseconds(1100));
    EXPECT_EQ(call(make_jwt(key2_, "key-2", claims())), 200);
    EXPECT_EQ(call(make_jwt(key1_, "key-1", claims())), 200);
}

TEST_F(AccessJwt, AssertionAddedByTheEdgeIsAccepted) {
    const auto state = wait_state(
        proxy_->state_file(), [](const Json& s) { return s.value("ready_connections", 0) > 0; });
    ASSERT_FALSE(state.is_null()) << proxy_->log();
    const auto edge = static_cast<unsigned short>(state.at("edge_port").get<int>());
    ASSERT_FALSE(wait_tunnel(ws_, [](const Json& t) {
                     return t.value("state", "") == "ready";
                 }).contains("timed_out"));
    { std::ofstream(ws_.path() / "jwt") << make_jwt(key1_, "key-1", claims()) << "\n"; }
    EXPECT_EQ(tunnel::mcp_initialize(edge, tunnel::bearer(secret_)).result_int(), 200)
        << proxy_->log();
    { std::ofstream(ws_.path() / "jwt") << make_jwt(key1_, "key-1", claims(-60)) << "\n"; }
    EXPECT_EQ(tunnel::mcp_initialize(edge, tunnel::bearer(secret_)).result_int(), 403);
    // A client cannot bring its own assertion through the edge: Cloudflare sets that header.
    std::filesystem::remove(ws_.path() / "jwt");
    auto headers = tunnel::bearer(secret_);
    headers["Cf-Access-Jwt-Assertion"] = make_jwt(key1_, "key-1", claims());
    EXPECT_EQ(tunnel::mcp_initialize(edge, headers).result_int(), 403);
}

}  // namespace
}  // namespace mcpproxy::test::cloudflared
