#include <gtest/gtest.h>

#include "cloudflared_config.hpp"
#include "cloudflared_daemon.hpp"
#include "cloudflared_log.hpp"
#include "cloudflared_preflight.hpp"

namespace mcpproxy::tunnel_cloudflared {
namespace {

TEST(CloudflaredVersion, ReadsCloudflaredVersionOutput) {
    EXPECT_EQ(
        parse_cloudflared_version("cloudflared version 2024.11.1 (built 2024-11-25-1317 UTC)\n"),
        "2024.11.1");
    EXPECT_EQ(parse_cloudflared_version("cloudflared version 2023.7.3 (built 2023-07-25-1417 UTC)"),
              "2023.7.3");
    EXPECT_EQ(parse_cloudflared_version("cloudflared version DEV (built unknown)\n"), "DEV");
    EXPECT_EQ(parse_cloudflared_version("ngrok version 3.18.4\n"), "");
    EXPECT_EQ(parse_cloudflared_version(""), "");
}

TEST(CloudflaredLog, ReadsTheLinesThatMatter) {
    const auto banner = read_log_line(
        "2024-08-05T10:00:01Z INF |  https://seasonal-deck-organisms-sf.trycloudflare.com          "
        "         |");
    EXPECT_EQ(banner.quick_url, "https://seasonal-deck-organisms-sf.trycloudflare.com");
    EXPECT_FALSE(banner.error);
    const auto registered = read_log_line(
        "2024-08-05T10:00:02Z INF Registered tunnel connection connIndex=0 connection=x event=0 "
        "ip=198.41.192.7 "
        "location=ams08 protocol=quic");
    EXPECT_TRUE(registered.registered);
    const auto err = read_log_line(
        "2024-08-05T10:05:00Z ERR failed to serve tunnel connection error=\"timeout\"");
    EXPECT_TRUE(err.error);
    EXPECT_EQ(err.message, "failed to serve tunnel connection error=\"timeout\"");
    const auto token = read_log_line("Provided Tunnel token is not valid.");
    EXPECT_TRUE(token.error);
    EXPECT_TRUE(token.token_rejected);
    const auto secret = read_log_line(
        "2024-08-05T10:00:00Z ERR Register tunnel error from server side error=\"Unauthorized: "
        "Invalid tunnel "
        "secret\" connIndex=0");
    EXPECT_TRUE(secret.token_rejected);
    EXPECT_FALSE(
        read_log_line("2024-08-05T10:00:00Z INF Starting metrics server on 127.0.0.1:1/metrics")
            .error);
}

TEST(CloudflaredCommand, QuickAndNamedCommandLinesNeverCarryTheToken) {
    DaemonOptions quick;
    quick.binary = "/usr/bin/cloudflared";
    quick.origin_url = "http://127.0.0.1:8080";
    quick.metrics_port = 20241;
    const auto q = build_command(quick);
    EXPECT_EQ(q.argv, (std::vector<std::string>{"/usr/bin/cloudflared", "tunnel", "--url",
                                                "http://127.0.0.1:8080", "--metrics",
                                                "127.0.0.1:20241", "--no-autoupdate"}));
    EXPECT_TRUE(q.env.empty());

    DaemonOptions named = quick;
    named.quick = false;
    named.origin_url.clear();
    named.token = "c2VjcmV0";
    const auto n = build_command(named);
    EXPECT_EQ(n.argv, (std::vector<std::string>{"/usr/bin/cloudflared", "tunnel", "--no-autoupdate",
                                                "--metrics", "127.0.0.1:20241", "run"}));
    EXPECT_EQ(n.env.at("TUNNEL_TOKEN"), "c2VjcmV0");
    for (const auto& a : n.argv) EXPECT_EQ(a.find("c2VjcmV0"), std::string::npos);
}

TEST(CloudflaredCommand, OriginUrlOfWildcardAndIpv6Targets) {
    EXPECT_EQ(origin_url_of({"0.0.0.0", 8080, "http"}), "http://127.0.0.1:8080");
    EXPECT_EQ(origin_url_of({"::", 9000, "http"}), "http://[::1]:9000");
    EXPECT_EQ(origin_url_of({"::1", 9000, "http"}), "http://[::1]:9000");
    EXPECT_EQ(origin_url_of({"10.1.2.3", 80, ""}), "http://10.1.2.3:80");
}

TEST(CloudflaredConfig, ModesTokensAndErrors) {
    ::unsetenv("TUNNEL_TOKEN");
    const auto quick = parse_cloudflared_config("{}");
    EXPECT_TRUE(quick.quick);
    EXPECT_FALSE(quick.access);
    const auto named = parse_cloudflared_config(R"({"hostname":"mcp.example.com","token":"abc"})");
    EXPECT_FALSE(named.quick);
    EXPECT_EQ(named.token, "abc");
    ::setenv("TUNNEL_TOKEN", "from-env", 1);
    EXPECT_EQ(parse_cloudflared_config(R"({"hostname":"h"})").token, "from-env");
    ::unsetenv("TUNNEL_TOKEN");
    const auto access = parse_cloudflared_config(R"({"access":{"team":"acme","audience":"aud"}})");
    ASSERT_TRUE(access.access);
    EXPECT_EQ(access.access->issuer, "https://acme.cloudflareaccess.com");
    EXPECT_EQ(access.access->certs_url, "https://acme.cloudflareaccess.com/cdn-cgi/access/certs");
    EXPECT_THROW(parse_cloudflared_config(R"({"access":{"team":"acme"}})"), std::runtime_error);
    EXPECT_THROW(parse_cloudflared_config(R"({"mode":"fast"})"), std::runtime_error);
    EXPECT_THROW(parse_cloudflared_config(R"({"metrics_port":"x"})"), std::runtime_error);
    EXPECT_THROW(parse_cloudflared_config(R"({"typo":1})"), std::runtime_error);
    EXPECT_EQ(quick.ready_timeout, std::chrono::seconds(60));
    EXPECT_EQ(quick.stop_grace, std::chrono::seconds(5));
    const auto timed = parse_cloudflared_config(R"({"ready_timeout_ms":1500,"stop_grace_ms":800})");
    EXPECT_EQ(timed.ready_timeout, std::chrono::milliseconds(1500));
    EXPECT_EQ(timed.stop_grace, std::chrono::milliseconds(800));
    EXPECT_THROW(parse_cloudflared_config(R"({"ready_timeout_ms":5})"), std::runtime_error);
    EXPECT_THROW(parse_cloudflared_config(R"({"stop_grace_ms":0})"), std::runtime_error);
}

TEST(CloudflaredConfig, TunnelTokenShape) {
    // base64 of {"a":"acct","t":"tid","s":"c2VjcmV0"}
    EXPECT_EQ(tunnel_id_of_token("eyJhIjoiYWNjdCIsInQiOiJ0aWQiLCJzIjoiYzJWamNtVjAifQ=="), "tid");
    EXPECT_FALSE(tunnel_id_of_token("not a token"));
    EXPECT_FALSE(tunnel_id_of_token("eyJhIjoiYWNjdCJ9"));  // {"a":"acct"}
}

}  // namespace
}  // namespace mcpproxy::tunnel_cloudflared
