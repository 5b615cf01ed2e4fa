#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "access_jwt.hpp"
#include "tests/integration/tunnel-cloudflared/jwt_signer.hpp"

namespace mcpproxy::tunnel_cloudflared {
namespace {
using test::jwks_document;
using test::make_jwt;
using test::RsaKey;
using Clock = std::chrono::system_clock;

struct Fixture : ::testing::Test {
    RsaKey key1;
    RsaKey key2;
    std::string jwks = jwks_document({{"k1", &key1}});
    int fetches = 0;
    Clock::time_point now = Clock::from_time_t(1'800'000'000);
    AccessConfig config;
    std::unique_ptr<AccessVerifier> verifier;

    void SetUp() override {
        config.team = "acme";
        config.audience = "aud-1";
        config.issuer = "https://acme.cloudflareaccess.com";
        config.certs_url = "https://acme.cloudflareaccess.com/cdn-cgi/access/certs";
        config.leeway = std::chrono::seconds(30);
        config.min_refetch = std::chrono::milliseconds(60'000);
        verifier = std::make_unique<AccessVerifier>(config, fetcher(), [this] { return now; });
    }

    AccessVerifier::Fetch fetcher() {
        return [this](const std::string& url) {
            ++fetches;
            EXPECT_EQ(url, config.certs_url);
            return FetchResult{200, jwks, ""};
        };
    }

    nlohmann::json claims(long exp_in = 300) const {
        const auto t = Clock::to_time_t(now);
        return {{"iss", config.issuer},
                {"aud", {"aud-1"}},
                {"exp", t + exp_in},
                {"nbf", t - 5},
                {"iat", t - 5}};
    }
};

TEST_F(Fixture, AcceptsAGoodTokenAndCachesTheKeys) {
    EXPECT_EQ(verifier->verify(make_jwt(key1, "k1", claims())), AccessCheck::ok);
    EXPECT_EQ(verifier->verify(make_jwt(key1, "k1", claims())), AccessCheck::ok);
    EXPECT_EQ(fetches, 1);
}

TEST_F(Fixture, RefusesEachBadToken) {
    EXPECT_EQ(verifier->verify(""), AccessCheck::missing);
    EXPECT_EQ(verifier->verify("abc"), AccessCheck::malformed);
    EXPECT_EQ(verifier->verify("a.b.c.d"), AccessCheck::malformed);
    EXPECT_EQ(verifier->verify(make_jwt(key1, "k1", claims(-31))), AccessCheck::expired);
    EXPECT_EQ(verifier->verify(make_jwt(key1, "k1", claims(-10))), AccessCheck::ok)
        << "within leeway";
    auto wrong_aud = claims();
    wrong_aud["aud"] = "aud-2";
    EXPECT_EQ(verifier->verify(make_jwt(key1, "k1", wrong_aud)), AccessCheck::wrong_audience);
    auto wrong_iss = claims();
    wrong_iss["iss"] = "https://other.cloudflareaccess.com";
    EXPECT_EQ(verifier->verify(make_jwt(key1, "k1", wrong_iss)), AccessCheck::wrong_issuer);
    auto future = claims();
    future["nbf"] = Clock::to_time_t(now) + 120;
    EXPECT_EQ(verifier->verify(make_jwt(key1, "k1", future)), AccessCheck::not_yet_valid);
    EXPECT_EQ(verifier->verify(make_jwt(key2, "k1", claims())), AccessCheck::bad_signature);
    // alg none / HS256 never pass, whatever the signature.
    const auto body = test::base64url(claims().dump());
    EXPECT_EQ(verifier->verify(test::base64url(R"({"alg":"none","kid":"k1"})") + "." + body + "."),
              AccessCheck::unsupported_alg);
    EXPECT_EQ(
        verifier->verify(test::base64url(R"({"alg":"HS256","kid":"k1"})") + "." + body + ".c2ln"),
        AccessCheck::unsupported_alg);
}

TEST_F(Fixture, UnknownKidRefetchesOncePerWindowThenFindsARotatedKey) {
    EXPECT_EQ(verifier->verify(make_jwt(key1, "k1", claims())), AccessCheck::ok);
    EXPECT_EQ(fetches, 1);
    // Within the window: no refetch for unknown kids, however many arrive.
    for (int i = 0; i < 10; ++i)
        EXPECT_EQ(verifier->verify(make_jwt(key2, "k2", claims())), AccessCheck::unknown_key);
    EXPECT_EQ(fetches, 1);
    // Once the window has passed, an unknown kid refetches and the rotated key is accepted.
    config.min_refetch = std::chrono::milliseconds(0);
    AccessVerifier fresh(config, fetcher(), [this] { return now; });
    EXPECT_EQ(fresh.verify(make_jwt(key1, "k1", claims())), AccessCheck::ok);
    jwks = jwks_document({{"k1", &key1}, {"k2", &key2}});
    EXPECT_EQ(fresh.verify(make_jwt(key2, "k2", claims())), AccessCheck::ok);
    EXPECT_EQ(fresh.verify(make_jwt(key1, "k1", claims())), AccessCheck::ok);
}

TEST(AccessVerifierRace, ATokenArrivingDuringTheFirstFetchWaitsForItsKeys) {
    // The first fetch (started by the refresher) is slow; a request arriving meanwhile must use
    // the keys it brings, not refuse the token because it may not fetch again so soon.
    RsaKey key;
    const auto now = Clock::from_time_t(1'800'000'000);
    AccessConfig config;
    config.team = "acme";
    config.audience = "aud-1";
    config.issuer = "https://acme.cloudflareaccess.com";
    config.certs_url = "https://acme.cloudflareaccess.com/cdn-cgi/access/certs";
    config.min_refetch = std::chrono::milliseconds(60'000);
    std::atomic<bool> fetching{false};
    AccessVerifier verifier(
        config,
        [&](const std::string&) {
            fetching = true;
            std::this_thread::sleep_for(std::chrono::milliseconds(300));
            return FetchResult{200, jwks_document({{"k1", &key}}), ""};
        },
        [now] { return now; });
    std::thread refresher([&] { verifier.refresh_if_due(); });
    while (!fetching) std::this_thread::yield();
    const auto t = Clock::to_time_t(now);
    const nlohmann::json claims{{"iss", config.issuer},
                                {"aud", {"aud-1"}},
                                {"exp", t + 300},
                                {"nbf", t - 5},
                                {"iat", t - 5}};
    EXPECT_EQ(verifier.verify(make_jwt(key, "k1", claims)), AccessCheck::ok);
    refresher.join();
    EXPECT_EQ(verifier.fetches(), 1U);
}

TEST_F(Fixture, AFailedFetchKeepsTheOldKeysAndSaysWhy) {
    EXPECT_EQ(verifier->verify(make_jwt(key1, "k1", claims())), AccessCheck::ok);
    AccessVerifier broken(
        config,
        [](const std::string&) {
            return FetchResult{0, "", "connect: Connection refused"};
        },
        [this] { return now; });
    EXPECT_FALSE(broken.refresh_if_due());
    EXPECT_NE(broken.error().find("Connection refused"), std::string::npos);
    EXPECT_EQ(broken.verify(make_jwt(key1, "k1", claims())), AccessCheck::unknown_key);
}

}  // namespace
}  // namespace mcpproxy::tunnel_cloudflared
