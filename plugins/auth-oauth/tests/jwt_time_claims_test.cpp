// exp and nbf in really signed tokens: integers, fractions, and numbers far outside the int64
// range (valid JSON; casting them was undefined behaviour, found by fuzz_jwt).
#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <array>
#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "base64url.hpp"
#include "jwk_set.hpp"
#include "jwt_validator.hpp"

namespace mcpproxy::oauth {
namespace {

using Json = nlohmann::json;

constexpr const char* kIssuer = "https://issuer.test";
constexpr const char* kAudience = "https://proxy.test/mcp";
constexpr std::chrono::system_clock::time_point kNow{std::chrono::seconds(1'800'000'000)};

class Ed25519Issuer {
public:
    Ed25519Issuer() : key_(EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519")) {
        std::array<unsigned char, 32> pub{};
        std::size_t len = pub.size();
        EVP_PKEY_get_raw_public_key(key_.get(), pub.data(), &len);
        const Json jwks{{"keys",
                         {{{"kty", "OKP"},
                           {"crv", "Ed25519"},
                           {"kid", "k1"},
                           {"alg", "EdDSA"},
                           {"x", base64url_encode(std::string_view(
                                     reinterpret_cast<const char*>(pub.data()), len))}}}}};
        keys_ = parse_jwks(jwks.dump());
    }

    // A token signed with our key whose payload is this JSON text (numbers kept as written).
    [[nodiscard]] std::string token(const std::string& payload_json) const {
        const std::string input = base64url_encode(R"({"alg":"EdDSA","kid":"k1"})") + "." +
                                  base64url_encode(payload_json);
        std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(),
                                                                    EVP_MD_CTX_free);
        std::array<unsigned char, 64> sig{};
        std::size_t len = sig.size();
        EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, key_.get());
        EVP_DigestSign(ctx.get(), sig.data(), &len,
                       reinterpret_cast<const unsigned char*>(input.data()), input.size());
        return input + "." +
               base64url_encode(std::string_view(reinterpret_cast<const char*>(sig.data()), len));
    }

    [[nodiscard]] JwtVerdict check(const std::string& time_claims) const {
        const std::string payload = std::string(R"({"iss":")") + kIssuer + R"(","aud":")" +
                                    kAudience + R"(","sub":"agent",)" + time_claims + "}";
        JwtRules rules;
        rules.issuer = kIssuer;
        rules.audience = kAudience;
        return validate_jwt(token(payload), keys_, rules, kNow);
    }

private:
    std::unique_ptr<EVP_PKEY, PublicKeyDeleter> key_;
    JwkSet keys_;
};

TEST(JwtTimeClaims, IntegersAndFractionsAroundNow) {
    const Ed25519Issuer issuer;
    EXPECT_TRUE(issuer.check(R"("exp": 1800003600)").valid);
    EXPECT_EQ(issuer.check(R"("exp": 1799990000)").error, "expired");
    EXPECT_TRUE(issuer.check(R"("exp": 1800003600.25)").valid);
    EXPECT_EQ(issuer.check(R"("exp": 1799990000.5)").error, "expired");
    EXPECT_EQ(issuer.check(R"("exp": 1800003600, "nbf": 1800003000.5)").error, "not_yet_valid");
}

TEST(JwtTimeClaims, NumbersBeyondInt64AreClampedNotUndefined) {
    const Ed25519Issuer issuer;
    // The issuer said "far in the future": valid, as a large integer would be.
    EXPECT_TRUE(issuer.check(R"("exp": 1.8e103)").valid);
    EXPECT_TRUE(issuer.check(R"("exp": 18446744073709551615)").valid);
    EXPECT_TRUE(issuer.check(R"("exp": 9223372036854775807)").valid);
    EXPECT_EQ(issuer.check(R"("exp": -1.8e103)").error, "expired");
    EXPECT_EQ(issuer.check(R"("exp": -9223372036854775808)").error, "expired");
    EXPECT_EQ(issuer.check(R"("exp": 1800003600, "nbf": 1e300)").error, "not_yet_valid");
    EXPECT_TRUE(issuer.check(R"("exp": 1800003600, "nbf": -1e300)").valid);
}

}  // namespace
}  // namespace mcpproxy::oauth
