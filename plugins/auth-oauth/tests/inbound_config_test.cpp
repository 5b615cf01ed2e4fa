// The inbound config, claim rules, RFC 9728 URLs, base64url and JWKS parsing; the signature and
// claim checks against real tokens are in tests/integration/oauth.
#include "inbound_config.hpp"

#include <gtest/gtest.h>

#include "base64url.hpp"
#include "jwk_set.hpp"
#include "jwt_validator.hpp"

namespace mcpproxy::oauth {
namespace {

std::string error_of(const std::string& text) {
    try {
        (void)parse_oauth_config(text);
    } catch (const std::invalid_argument& e) {
        return e.what();
    }
    return "no error";
}

TEST(InboundConfig, ParsesAndNamesTheKeyOfEachError) {
    const auto c = parse_oauth_config(
        R"({"inbound":{"issuer":"https://idp.example","resource":"https://mcp.example/mcp",
        "required_scopes":["mcp"],"leeway":"10s","rules":[{"any":true,"servers":"*"}]}})");
    ASSERT_TRUE(c.inbound);
    EXPECT_EQ(c.inbound->resource, "https://mcp.example/mcp");
    EXPECT_EQ(resource_for(*c.inbound, {"https://tunnel.example"}), "https://mcp.example/mcp");
    EXPECT_EQ(c.inbound->jwt.leeway, std::chrono::seconds(10));
    EXPECT_EQ(c.inbound->scopes_supported, std::vector<std::string>{"mcp"});
    EXPECT_FALSE(parse_oauth_config("{}").inbound);
    const auto no_resource = parse_oauth_config(
        R"({"inbound":{"issuer":"https://i","rules":[{"any":true,"servers":"*"}]}})");
    EXPECT_TRUE(no_resource.inbound->resource.empty());
    EXPECT_EQ(resource_for(*no_resource.inbound, {}), std::nullopt);
    EXPECT_EQ(resource_for(*no_resource.inbound, {"https://t.example/"}), "https://t.example/mcp");
    EXPECT_NE(
        error_of(
            R"({"inbound":{"issuer":"https://i","resource":"mcp.example","rules":[{"any":true,"servers":"*"}]}})")
            .find("config.inbound.resource"),
        std::string::npos);

    EXPECT_NE(
        error_of(R"({"inbound":{"resource":"https://m/mcp","rules":[{"any":true,"servers":"*"}]}})")
            .find("config.inbound.issuer"),
        std::string::npos);
    EXPECT_NE(error_of(R"({"inbound":{"issuer":"https://i","resource":"https://m/mcp"}})")
                  .find("config.inbound.rules"),
              std::string::npos);
    EXPECT_NE(
        error_of(
            R"({"inbound":{"issuer":"https://i","resource":"https://m/mcp","rules":[{"sub":"a","email":"b","servers":"*"}]}})")
            .find("config.inbound.rules[0]: give exactly one"),
        std::string::npos);
    EXPECT_NE(
        error_of(
            R"({"inbound":{"issuer":"https://i","resource":"https://m/mcp","algorithms":["HS256"],"rules":[{"any":true,"servers":"*"}]}})")
            .find("HS256"),
        std::string::npos);
    EXPECT_NE(
        error_of(
            R"({"inbound":{"issuer":"https://i","resource":"https://m/mcp","leeway":"1h","rules":[{"any":true,"servers":"*"}]}})")
            .find("leeway"),
        std::string::npos);
    // A number of seconds too large to convert is refused, not cast.
    EXPECT_NE(
        error_of(
            R"({"inbound":{"issuer":"https://i","resource":"https://m/mcp","leeway":1e300,"rules":[{"any":true,"servers":"*"}]}})")
            .find("leeway"),
        std::string::npos);
    EXPECT_NE(error_of(R"({"outbound":{}})").find("unknown key"), std::string::npos);
}

TEST(InboundConfig, FirstMatchingClaimRuleWins) {
    const auto c =
        parse_oauth_config(R"({"inbound":{"issuer":"https://i","resource":"https://m/mcp","rules":[
        {"group":"admins","servers":"*","permissions":"read,write,destructive"},
        {"email":"a@x","servers":["gh"]},
        {"sub":"s-1","servers":["fs"]}]}})");
    const auto& rules = c.inbound->rules;
    TokenClaims admin{"s-9", "z@x", {"users", "admins"}, {}};
    EXPECT_EQ(find_claim_rule(rules, admin)->scope.permission, sdk::Permission::destructive);
    TokenClaims by_email{"s-1", "a@x", {}, {}};
    EXPECT_EQ(find_claim_rule(rules, by_email)->scope.allowed_servers,
              std::vector<std::string>{"gh"});
    TokenClaims by_sub{"s-1", "", {}, {}};
    EXPECT_EQ(find_claim_rule(rules, by_sub)->scope.allowed_servers,
              std::vector<std::string>{"fs"});
    TokenClaims nobody{"s-2", "", {}, {}};
    EXPECT_EQ(find_claim_rule(rules, nobody), nullptr);
}

TEST(InboundConfig, ResourceMetadataUrlInsertsTheWellKnownSegment) {
    EXPECT_EQ(resource_metadata_url("https://mcp.example.com/mcp"),
              "https://mcp.example.com/.well-known/oauth-protected-resource/mcp");
    EXPECT_EQ(resource_metadata_url("https://mcp.example.com"),
              "https://mcp.example.com/.well-known/oauth-protected-resource");
}

TEST(Base64Url, RoundTripsAndRejectsOtherAlphabets) {
    const std::vector<std::string> samples{"",    "f",    "fo",
                                           "foo", "foob", std::string("\xff\xfe\x00\x01", 4)};
    for (const auto& s : samples) {
        EXPECT_EQ(base64url_decode(base64url_encode(s)), s);
    }
    EXPECT_EQ(base64url_decode("Zm9v"), "foo");
    EXPECT_FALSE(base64url_decode("Zm9v+/"));
    EXPECT_FALSE(base64url_decode("Z"));
}

TEST(JwkSet, SkipsUnusableKeysAndRejectsNonJwks) {
    EXPECT_THROW((void)parse_jwks("[]"), std::invalid_argument);
    EXPECT_THROW((void)parse_jwks("not json"), std::invalid_argument);
    const auto set = parse_jwks(
        R"({"keys":[{"kty":"oct","kid":"h","k":"AAAA"},{"kty":"RSA","kid":"short","n":"AQAB","e":"AQAB"},
        {"kty":"OKP","kid":"ed","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"},
        {"kty":"OKP","kid":"enc","use":"enc","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}]})");
    ASSERT_EQ(set.size(), 1U);
    EXPECT_EQ(set.begin()->second.alg, "EdDSA");
}

TEST(JwtValidator, RefusesNoneAndMalformedTokens) {
    const JwtRules rules{"https://i", "https://m/mcp"};
    const auto none = base64url_encode(R"({"alg":"none","kid":"ed"})") + "." +
                      base64url_encode(R"({"iss":"https://i"})") + ".AAAA";
    EXPECT_EQ(validate_jwt(none, {}, rules, std::chrono::system_clock::now()).error,
              "unsupported_alg");
    EXPECT_EQ(validate_jwt("a.b", {}, rules, std::chrono::system_clock::now()).error, "malformed");
    EXPECT_FALSE(looks_like_jwt("mcp_agt_0123456789abcdef"));
    EXPECT_TRUE(looks_like_jwt(none));
}

}  // namespace
}  // namespace mcpproxy::oauth
