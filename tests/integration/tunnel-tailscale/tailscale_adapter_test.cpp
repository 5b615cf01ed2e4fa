// tunnel-tailscale against the real binary and the fake tailscale CLI + tailscaled.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <csignal>
#include <thread>

#include "tests/integration/tunnel-tailscale/adapter_harness.hpp"
#include "tests/integration/tunnel/tunnel_harness.hpp"

namespace mcpproxy::test::adapters {
namespace {
namespace http = boost::beast::http;
using namespace std::chrono_literals;
using tunnel::RunningProxy;
using tunnel::Workspace;

constexpr const char* kHost = "mcp-box.tail1234.ts.net";

// Until GET /healthz on the tunneled listener answers 200, with the proxy's log on failure.
void wait_ready(RunningProxy& proxy, std::chrono::seconds limit = 20s) {
    if (!healthz_becomes(proxy.main_port(), 200, limit)) {
        FAIL() << "not ready (exit " << proxy.process().wait_exit(std::chrono::milliseconds(200))
               << "):\n"
               << proxy.log();
    }
}

class TailscaleAdapter : public ::testing::Test {
protected:
    void SetUp() override {
        put_fakes_first_on_path();
        state_ = workspace_.path() / "ts";
        std::filesystem::create_directories(state_);
        token_ = workspace_.create_token("agent");
    }

    void start_daemon(std::map<std::string, std::string> env = {}) {
        daemon_.reset();
        env["FAKE_TAILSCALE_DIR"] = state_.string();
        std::filesystem::remove(state_ / "tailscaled.sock");
        daemon_ = std::make_unique<ChildProcess>(
            std::vector<std::string>{"node", (fakes_dir() / "tailscaled").string()}, env,
            workspace_.path() / "tailscaled.log");
        ASSERT_TRUE(eventually([&] { return std::filesystem::exists(state_ / "tailscaled.sock"); }))
            << daemon_->log();
    }

    Json config(Json plugin = Json::object()) {
        plugin["socket"] = (state_ / "tailscaled.sock").string();
        if (!plugin.contains("poll_interval_ms")) plugin["poll_interval_ms"] = 200;
        return {{"tunnel", {{"enabled", true}, {"require_ready", true}}},
                {"routing_mode", "direct"},
                {"plugins", Json::array({"auth-agent-token",
                                         Json{{"name", "tunnel-tailscale"}, {"config", plugin}}})},
                {"mcpServers", Json::array({Json{{"name", "alpha"},
                                                 {"command", TEST_STDIO_UPSTREAM},
                                                 {"args", Json::array({"alpha"})}}})}};
    }

    Json serve_config() {
        auto j = wait_json_file(
            state_ / "serve-config.json", [](const Json&) { return true; }, 2s);
        return j ? *j : Json::object();
    }

    unsigned short edge_port(const std::string& key) {
        const auto edges = wait_json_file(state_ / "edges.json", [&](const Json& j) {
            return j.contains(key) && j[key].value("port", 0) != 0;
        });
        return edges ? (*edges)[key]["port"].get<unsigned short>() : 0;
    }

    Json tunnel_status(const std::function<bool(const Json&)>& check) {
        return first_tunnel_status(workspace_, check);
    }

    Workspace workspace_;
    std::filesystem::path state_;
    std::string token_;
    std::unique_ptr<ChildProcess> daemon_;
};

TEST_F(TailscaleAdapter, ServeReportsTheTailnetUrlAndCarriesAToolCallThenTurnsServeOff) {
    start_daemon();
    RunningProxy proxy(workspace_, config());
    ASSERT_NO_FATAL_FAILURE(wait_ready(proxy));
    EXPECT_TRUE(eventually([&] {
        return log_has(proxy.log(), std::string("public URL is now https://") + kHost);
    })) << proxy.log();

    // tailscaled's serve config proxies https://<node>:443 to the tunneled listener, tailnet only.
    const auto sc = serve_config();
    const std::string key = std::string(kHost) + ":443";
    EXPECT_EQ(sc["Web"][key]["Handlers"]["/"]["Proxy"],
              "http://127.0.0.1:" + std::to_string(proxy.main_port()))
        << sc.dump();
    EXPECT_FALSE(sc.contains("AllowFunnel")) << sc.dump();
    const auto status =
        tunnel_status([](const Json& t) { return t.value("state", "") == "ready"; });
    EXPECT_EQ(status.value("provider", ""), "tailscale") << status.dump();
    EXPECT_EQ(status.value("public_url", ""), std::string("https://") + kHost) << status.dump();

    // Through the fake Serve edge: Host is the node name (trusted now), the token is checked.
    const auto port = edge_port(key);
    ASSERT_NE(port, 0);
    const auto call =
        mcp_tool_call(port, tunnel::bearer(token_), "alpha__echo", {{"text", "via tailnet"}});
    ASSERT_EQ(call.result_int(), 200) << call.body() << proxy.log();
    EXPECT_NE(call.body().find("via tailnet"), std::string::npos) << call.body();
    // Tailscale-User-Login alone is no credential (no identities configured).
    EXPECT_EQ(mcp_tool_call(port, {}, "alpha__echo", {{"text", "x"}}).result_int(), 401);

    EXPECT_EQ(proxy.process().stop(), 0) << proxy.log();
    const auto after = serve_config();
    EXPECT_FALSE(after.contains("Web") && after["Web"].contains(key)) << after.dump();
    EXPECT_TRUE(log_has(proxy.log(), "tailscale serve --https=443 turned off")) << proxy.log();
}

TEST_F(TailscaleAdapter, FunnelOn8443ReportsThePortInTheUrl) {
    start_daemon();
    RunningProxy proxy(workspace_, config({{"mode", "funnel"}, {"https_port", 8443}}));
    ASSERT_NO_FATAL_FAILURE(wait_ready(proxy));
    EXPECT_TRUE(eventually([&] {
        return log_has(proxy.log(), std::string("public URL is now https://") + kHost + ":8443");
    })) << proxy.log();
    const std::string key = std::string(kHost) + ":8443";
    const auto sc = serve_config();
    EXPECT_EQ(sc["AllowFunnel"][key], true) << sc.dump();
    // Funnel requests carry no identity headers; the token still decides.
    const auto port = edge_port(key);
    ASSERT_NE(port, 0);
    const auto call =
        mcp_tool_call(port, tunnel::bearer(token_), "alpha__echo", {{"text", "public"}});
    EXPECT_EQ(call.result_int(), 200) << call.body();
    EXPECT_EQ(proxy.process().stop(), 0);
    EXPECT_FALSE(serve_config().contains("AllowFunnel")) << serve_config().dump();
}

TEST_F(TailscaleAdapter, RefusesAFunnelPortTailscaleDoesNotAllow) {
    start_daemon();
    const auto r =
        workspace_.serve_to_completion(config({{"mode", "funnel"}, {"https_port", 8080}}));
    EXPECT_NE(r.exit_code, 0);
    EXPECT_NE((r.out + r.err).find("only allows Funnel on ports 443, 8443 and 10000"),
              std::string::npos)
        << r.out << r.err;
}

TEST_F(TailscaleAdapter, RefusesToStartWhenNotLoggedIn) {
    start_daemon({{"FAKE_TAILSCALE_BACKEND_STATE", "NeedsLogin"}});
    const auto r = workspace_.serve_to_completion(config());
    EXPECT_NE(r.exit_code, 0);
    EXPECT_NE((r.out + r.err).find("not logged in"), std::string::npos) << r.out << r.err;
    EXPECT_NE((r.out + r.err).find("tailscale up"), std::string::npos) << r.out << r.err;
}

TEST_F(TailscaleAdapter, RefusesFunnelWithoutTheFunnelNodeAttribute) {
    start_daemon({{"FAKE_TAILSCALE_FUNNEL", "0"}});
    const auto r = workspace_.serve_to_completion(config({{"mode", "funnel"}}));
    EXPECT_NE(r.exit_code, 0);
    EXPECT_NE((r.out + r.err).find("Funnel is not allowed for this machine"), std::string::npos)
        << r.out << r.err;
    EXPECT_NE((r.out + r.err).find("nodeAttrs"), std::string::npos) << r.out << r.err;
}

TEST_F(TailscaleAdapter, RefusesToStartWhenTailscaledIsNotRunning) {
    const auto r = workspace_.serve_to_completion(config());
    EXPECT_NE(r.exit_code, 0);
    EXPECT_NE((r.out + r.err).find("is tailscaled running?"), std::string::npos) << r.out << r.err;
}

TEST_F(TailscaleAdapter, AppliesServeAgainAfterTailscaledRestartsWithoutItsState) {
    start_daemon();
    RunningProxy proxy(workspace_, config());
    ASSERT_NO_FATAL_FAILURE(wait_ready(proxy));
    const std::string key = std::string(kHost) + ":443";

    daemon_->kill_group(SIGKILL);
    // The tunnel is degraded: /healthz on the tunneled listener turns 503.
    EXPECT_TRUE(healthz_becomes(proxy.main_port(), 503, 5s)) << proxy.log();
    EXPECT_TRUE(log_has(proxy.log(), "tailscaled is not answering")) << proxy.log();

    start_daemon({{"FAKE_TAILSCALE_FORGET_SERVE", "1"}});
    ASSERT_NO_FATAL_FAILURE(wait_ready(proxy, 10s));
    EXPECT_TRUE(log_has(proxy.log(), "applying it again")) << proxy.log();
    const auto status = tunnel_status([](const Json& t) { return t.value("restarts", 0) == 1; });
    EXPECT_EQ(status.value("state", ""), "ready") << status.dump();
    EXPECT_EQ(status.value("public_url", ""), std::string("https://") + kHost) << status.dump();
    const auto port = edge_port(key);
    ASSERT_NE(port, 0);
    EXPECT_EQ(mcp_tool_call(port, tunnel::bearer(token_), "alpha__echo", {{"text", "again"}})
                  .result_int(),
              200);
}

TEST_F(TailscaleAdapter, MapsATailnetLoginToAnIdentityOnlyWhenWhoisAgrees) {
    start_daemon();
    RunningProxy proxy(
        workspace_,
        config({{"identities", {{"alice@example.com", {{"servers", Json::array({"alpha"})}}}}}}));
    ASSERT_NO_FATAL_FAILURE(wait_ready(proxy));
    const auto port = edge_port(std::string(kHost) + ":443");
    ASSERT_NE(port, 0);
    // Through tailscaled (the fake edge adds the login and the peer's tailnet address): no token.
    const auto call = mcp_tool_call(port, {}, "alpha__echo", {{"text", "as alice"}});
    EXPECT_EQ(call.result_int(), 200) << call.body() << proxy.log();
    // The same header sent straight to the listener from an address tailscaled does not know.
    const Headers forged{{"Tailscale-User-Login", "alice@example.com"},
                         {"X-Forwarded-For", "100.64.0.99"}};
    EXPECT_EQ(tunnel::mcp_initialize(proxy.main_port(), forged).result_int(), 401);
    // A login that is not mapped is no credential.
    const Headers other{{"Tailscale-User-Login", "mallory@example.com"},
                        {"X-Forwarded-For", "100.64.0.7"}};
    EXPECT_EQ(tunnel::mcp_initialize(proxy.main_port(), other).result_int(), 401);
}

}  // namespace
}  // namespace mcpproxy::test::adapters
