#include "mcpproxy/tunnel_common/url.hpp"

#include <gtest/gtest.h>

namespace mcpproxy::tunnel_common {
namespace {

TEST(Url, ParsesHostPortAndPath) {
    const auto u = parse_url("HTTPS://Abc.TryCloudflare.com:8443/mcp?x=1");
    ASSERT_TRUE(u);
    EXPECT_EQ(u->scheme, "https");
    EXPECT_EQ(u->host, "abc.trycloudflare.com");
    EXPECT_EQ(u->port, 8443);
    EXPECT_EQ(u->path, "/mcp?x=1");
    EXPECT_EQ(authority_of(*u), "abc.trycloudflare.com:8443");
    const auto v6 = parse_url("http://[::1]:80");
    ASSERT_TRUE(v6);
    EXPECT_EQ(v6->host, "::1");
    EXPECT_EQ(authority_of(*v6), "[::1]:80");
    EXPECT_FALSE(parse_url("no-scheme"));
    EXPECT_FALSE(parse_url("http://host:99999"));
    EXPECT_FALSE(parse_url("http://:80"));
}

TEST(Url, FindsTheQuickTunnelUrlInTheBanner) {
    const std::string line =
        "2024-08-05T10:00:00Z INF |  https://seasonal-deck-organisms-sf.trycloudflare.com          "
        "                            |";
    EXPECT_EQ(find_url_in_line(line, ".trycloudflare.com"),
              "https://seasonal-deck-organisms-sf.trycloudflare.com");
    EXPECT_EQ(find_url_in_line("INF see https://developers.cloudflare.com/x", ".trycloudflare.com"),
              "");
    EXPECT_EQ(find_url_in_line("https://trycloudflare.com", ".trycloudflare.com"), "");
}

}  // namespace
}  // namespace mcpproxy::tunnel_common
