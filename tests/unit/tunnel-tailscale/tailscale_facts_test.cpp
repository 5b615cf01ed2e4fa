// Readings of tailscale's JSON, config rules and version checks of tunnel-tailscale.
#include "tailscale_facts.hpp"

#include <gtest/gtest.h>

#include "tailnet_identity.hpp"
#include "tailscale_adapter.hpp"
#include "tailscale_cli.hpp"
#include "tailscale_config.hpp"

namespace mcpproxy::tunnel_tailscale {
namespace {

using nlohmann::json;

json status_with_caps(json caps) {
    return {{"BackendState", "Running"},
            {"Self", {{"DNSName", "box.tail1234.ts.net."}, {"CapMap", std::move(caps)}}}};
}

TEST(TailscaleConfig, DefaultsToServeOn443) {
    const auto c = parse_tailscale_config("{}");
    EXPECT_EQ(c.mode, ExposeMode::serve);
    EXPECT_EQ(c.https_port, 443);
    EXPECT_EQ(c.program, "tailscale");
    EXPECT_TRUE(c.identities.empty());
}

TEST(TailscaleConfig, RefusesFunnelPortsTailscaleDoesNotAllowAndSaysWhy) {
    for (const int port : {443, 8443, 10000}) {
        EXPECT_NO_THROW(
            parse_tailscale_config(json{{"mode", "funnel"}, {"https_port", port}}.dump()));
    }
    try {
        parse_tailscale_config(R"({"mode": "funnel", "https_port": 8080})");
        FAIL() << "accepted 8080";
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find("443, 8443 and 10000"), std::string::npos) << e.what();
    }
    EXPECT_NO_THROW(parse_tailscale_config(R"({"mode": "serve", "https_port": 8080})"));
}

TEST(TailscaleConfig, RefusesUnknownKeysAndIdentitiesWithFunnel) {
    EXPECT_THROW(parse_tailscale_config(R"({"port": 443})"), std::runtime_error);
    EXPECT_THROW(parse_tailscale_config(R"({"mode": "public"})"), std::runtime_error);
    EXPECT_THROW(parse_tailscale_config(R"({"mode": "funnel", "identities": {"a@b": {}}})"),
                 std::runtime_error);
    const auto c = parse_tailscale_config(
        R"({"identities": {"Alice@Example.com": {"servers": ["x"], "permission": "write"}}})");
    ASSERT_EQ(c.identities.count("alice@example.com"), 1U);
    EXPECT_EQ(c.identities.at("alice@example.com").permission, sdk::Permission::write);
    EXPECT_THROW(parse_tailscale_config(R"({"identities": {"a@b": {"permission": "all"}}})"),
                 std::runtime_error);
}

TEST(TailscaleFacts, UrlFromSelfDnsNameWithoutTheTrailingDot) {
    const auto st = status_with_caps(json::object());
    EXPECT_EQ(backend_state(st), "Running");
    EXPECT_EQ(self_dns_name(st), "box.tail1234.ts.net");
    EXPECT_EQ(public_url("box.tail1234.ts.net", 443), "https://box.tail1234.ts.net");
    EXPECT_EQ(public_url("box.tail1234.ts.net", 8443), "https://box.tail1234.ts.net:8443");
    EXPECT_EQ(self_dns_name(json::object()), "");
}

TEST(TailscaleFacts, NotRunningAdviceSaysRunTailscaleUp) {
    EXPECT_NE(not_running_advice("NeedsLogin").find("tailscale up"), std::string::npos);
    EXPECT_NE(not_running_advice("Stopped").find("tailscale up"), std::string::npos);
    EXPECT_NE(not_running_advice("NeedsMachineAuth").find("admin console"), std::string::npos);
}

TEST(TailscaleFacts, FunnelNeedsHttpsTheFunnelAttributeAndAnAllowedPort) {
    const json ports = "https://tailscale.com/cap/funnel-ports?ports=443,8443,10000";
    EXPECT_NE(funnel_refusal(status_with_caps({{"funnel", nullptr}}), 443)->find("HTTPS"),
              std::string::npos);
    EXPECT_NE(funnel_refusal(status_with_caps({{"https", nullptr}}), 443)->find("nodeAttrs"),
              std::string::npos);
    const auto ok = status_with_caps(
        {{"https", nullptr}, {"funnel", nullptr}, {ports.get<std::string>(), nullptr}});
    EXPECT_FALSE(funnel_refusal(ok, 443));
    EXPECT_FALSE(funnel_refusal(ok, 10000));
    const auto only443 =
        status_with_caps({{"https", nullptr},
                          {"funnel", nullptr},
                          {"https://tailscale.com/cap/funnel-ports?ports=443", nullptr}});
    EXPECT_NE(funnel_refusal(only443, 8443)->find("allowed: 443"), std::string::npos);
    // Older tailscaled lists capabilities in Capabilities instead of CapMap.
    const json old{{"Self", {{"Capabilities", {"https", "funnel"}}}}};
    EXPECT_FALSE(funnel_refusal(old, 443));
}

TEST(TailscaleFacts, ServeConfigMatchesOurTargetAndMode) {
    const json sc{
        {"TCP", {{"443", {{"HTTPS", true}}}}},
        {"Web",
         {{"box.ts.net:443", {{"Handlers", {{"/", {{"Proxy", "http://127.0.0.1:8080"}}}}}}}}}};
    const std::string ours = "http://127.0.0.1:8080";
    EXPECT_EQ(match_serve_config(sc, "box.ts.net", 443, ours, ExposeMode::serve).entry,
              ServeEntry::ours);
    EXPECT_EQ(match_serve_config(sc, "box.ts.net", 443, ours, ExposeMode::funnel).entry,
              ServeEntry::wrong_mode);
    EXPECT_EQ(match_serve_config(sc, "box.ts.net", 8443, ours, ExposeMode::serve).entry,
              ServeEntry::missing);
    const auto other =
        match_serve_config(sc, "box.ts.net", 443, "http://127.0.0.1:9", ExposeMode::serve);
    EXPECT_EQ(other.entry, ServeEntry::other_target);
    EXPECT_EQ(other.current_target, ours);
    auto funnel = sc;
    funnel["AllowFunnel"] = {{"box.ts.net:443", true}};
    EXPECT_EQ(match_serve_config(funnel, "box.ts.net", 443, ours, ExposeMode::funnel).entry,
              ServeEntry::ours);
    EXPECT_EQ(match_serve_config(json::object(), "box.ts.net", 443, ours, ExposeMode::serve).entry,
              ServeEntry::missing);
}

TEST(TailscaleFacts, ProxyTargetMapsWildcardBindsToLoopback) {
    EXPECT_EQ(proxy_target({"127.0.0.1", 8080, "http"}), "http://127.0.0.1:8080");
    EXPECT_EQ(proxy_target({"0.0.0.0", 8080, "http"}), "http://127.0.0.1:8080");
    EXPECT_EQ(proxy_target({"::", 8080, "http"}), "http://[::1]:8080");
    EXPECT_EQ(proxy_target({"::1", 8080, "http"}), "http://[::1]:8080");
}

TEST(TailscaleVersion, NeedsServeBackground) {
    EXPECT_TRUE(version_problem("1.50.1"));
    EXPECT_FALSE(version_problem("1.52.0"));
    EXPECT_FALSE(version_problem("1.76.6"));
    EXPECT_TRUE(version_problem(""));
}

TEST(TailscaleVersion, ReadsTheFirstLineOfTailscaleVersion) {
    // `tailscale version` of a release build, and of an unstable one.
    EXPECT_EQ(
        parse_tailscale_version("1.76.6\n"
                                "  tailscale commit: 0ae6b7a9d2e5f1a6d3f5e4d2b1c0a9f8e7d6c5b4\n"
                                "  other commit: 1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e\n"
                                "  go version: go1.23.1\n"),
        "1.76.6");
    EXPECT_EQ(parse_tailscale_version("1.77.105-t4ff6c8d37-gd1e2f3a45\n  tailscale commit: x\n"),
              "1.77.105-t4ff6c8d37-gd1e2f3a45");
    EXPECT_FALSE(version_problem(parse_tailscale_version("1.77.105-t4ff6c8d37-gd1e2f3a45\n")));
    EXPECT_EQ(parse_tailscale_version("failed to connect to local tailscaled\n"), "");
    EXPECT_EQ(parse_tailscale_version(""), "");
}

TEST(TailscaleCli, LastLineIsTheError) {
    EXPECT_EQ(last_line("Available\n\nport 8080 is not allowed for funnel\n\n"),
              "port 8080 is not allowed for funnel");
    EXPECT_EQ(last_line(""), "");
}

TEST(TailnetIdentity, ForwardedForTakesTheNearestProxysAddress) {
    EXPECT_EQ(last_forwarded_for("100.64.0.7"), "100.64.0.7");
    EXPECT_EQ(last_forwarded_for("1.2.3.4, 100.64.0.7"), "100.64.0.7");
    EXPECT_EQ(last_forwarded_for(""), "");
}

}  // namespace
}  // namespace mcpproxy::tunnel_tailscale
