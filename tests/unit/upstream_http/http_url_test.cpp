#include "kernel/upstream/http/http_url.hpp"

#include <gtest/gtest.h>

namespace mcpproxy::upstream::http {
namespace {

TEST(UpstreamUrl, SplitsAPlainUrl) {
    const auto u = parse_upstream_url("http://127.0.0.1:8931/mcp");
    EXPECT_FALSE(u.tls);
    EXPECT_EQ(u.host, "127.0.0.1");
    EXPECT_EQ(u.port, "8931");
    EXPECT_EQ(u.host_header, "127.0.0.1:8931");
    EXPECT_EQ(u.target, "/mcp");
}

TEST(UpstreamUrl, DefaultsPortAndPathAndOmitsDefaultPortFromHost) {
    const auto u = parse_upstream_url("https://Example.com");
    EXPECT_TRUE(u.tls);
    EXPECT_EQ(u.port, "443");
    EXPECT_EQ(u.host_header, "Example.com");
    EXPECT_EQ(u.target, "/");
}

TEST(UpstreamUrl, KeepsIpv6BracketsOnlyInTheHostHeader) {
    const auto u = parse_upstream_url("http://[::1]:9000/a/b");
    EXPECT_EQ(u.host, "::1");
    EXPECT_EQ(u.host_header, "[::1]:9000");
    EXPECT_EQ(u.target, "/a/b");
}

TEST(UpstreamUrl, SendsTheQueryButNeverDisplaysIt) {
    const auto u = parse_upstream_url("https://api.example.com/mcp?api_key=SECRET123#frag");
    EXPECT_EQ(u.target, "/mcp?api_key=SECRET123");
    EXPECT_EQ(u.display, "https://api.example.com/mcp");
}

TEST(UpstreamUrl, RefusesOtherSchemes) {
    try {
        parse_upstream_url("ws://example.com/mcp");
        FAIL() << "accepted ws://";
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find("http:// or https://"), std::string::npos) << e.what();
    }
}

TEST(UpstreamUrl, RefusesCredentialsWithoutRepeatingThem) {
    try {
        parse_upstream_url("https://user:hunter2pass@example.com/mcp");
        FAIL() << "accepted userinfo";
    } catch (const std::invalid_argument& e) {
        EXPECT_EQ(std::string(e.what()).find("hunter2pass"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("headers"), std::string::npos) << e.what();
    }
}

TEST(UpstreamUrl, RefusesGarbageAndEmpty) {
    EXPECT_THROW(parse_upstream_url(""), std::invalid_argument);
    EXPECT_THROW(parse_upstream_url("not a url"), std::invalid_argument);
    EXPECT_THROW(parse_upstream_url("http:///mcp"), std::invalid_argument);
    EXPECT_THROW(parse_upstream_url("http://host:0/"), std::invalid_argument);
}

}  // namespace
}  // namespace mcpproxy::upstream::http
