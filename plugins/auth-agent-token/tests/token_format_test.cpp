#include "token_format.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

using namespace mcpproxy::agent_token;

namespace {

const std::string kValid = "mcp_agt_" + std::string(64, 'a');

}  // namespace

TEST(TokenFormat, GeneratedTokenHasPrefixAnd64LowercaseHexDigits) {
    const auto token = generate_token();
    ASSERT_EQ(token.size(), 72U);
    EXPECT_TRUE(token.starts_with("mcp_agt_"));
    for (char c : token.substr(8))
        EXPECT_TRUE((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')) << c;
    EXPECT_TRUE(is_well_formed_token(token));
}

TEST(TokenFormat, GeneratedTokensAreDistinct) {
    std::set<std::string> seen;
    for (int i = 0; i < 1000; ++i) seen.insert(generate_token());
    EXPECT_EQ(seen.size(), 1000U);
}

TEST(TokenFormat, AcceptsOnlyTheExactShape) {
    EXPECT_TRUE(is_well_formed_token(kValid));
    EXPECT_TRUE(is_well_formed_token(
        "mcp_agt_0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"));
    EXPECT_FALSE(is_well_formed_token(""));
    EXPECT_FALSE(is_well_formed_token("mcp_agt_"));
    EXPECT_FALSE(is_well_formed_token(kValid.substr(0, 71)));
    EXPECT_FALSE(is_well_formed_token(kValid + "a"));
    EXPECT_FALSE(is_well_formed_token("mcp_agt_" + std::string(63, 'a') + "A"));  // uppercase hex
    EXPECT_FALSE(is_well_formed_token("mcp_agt_" + std::string(63, 'a') + "g"));  // not hex
    EXPECT_FALSE(is_well_formed_token("MCP_AGT_" + std::string(64, 'a')));        // prefix case
    EXPECT_FALSE(is_well_formed_token("mcp_agx_" + std::string(64, 'a')));
    EXPECT_FALSE(is_well_formed_token("mcp_agt_" + std::string(62, 'a') + " a"));
    EXPECT_FALSE(is_well_formed_token(std::string("mcp_agt_") + std::string(63, 'a') + '\0'));
}

TEST(TokenFormat, PrefixDetectionIgnoresCaseSoMalformedTokensAreStillOurs) {
    EXPECT_TRUE(has_token_prefix("mcp_agt_x"));
    EXPECT_TRUE(has_token_prefix("MCP_AGT_x"));
    EXPECT_TRUE(has_token_prefix("mcp_agt_"));
    EXPECT_FALSE(has_token_prefix("mcp_agt"));
    EXPECT_FALSE(has_token_prefix("eyJhbGciOiJSUzI1NiJ9.x.y"));
    EXPECT_FALSE(has_token_prefix(""));
}
