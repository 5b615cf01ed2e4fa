// Quick tunnels: the URL comes from the fake's /quicktunnel, /healthz waits for /ready, the host is
// trusted, a request through the edge reaches /mcp, a killed daemon is restarted and its new URL
// reported, a drop shows as degraded, and SIGTERM leaves no cloudflared behind.
#include <gtest/gtest.h>
#include <signal.h>

#include <thread>

#include "tests/integration/tunnel-cloudflared/cloudflared_harness.hpp"

namespace mcpproxy::test::cloudflared {
namespace {
namespace http = boost::beast::http;
using tunnel::bearer;
using tunnel::Workspace;

const Json kQuick{{"poll_interval_ms", 100}};

TEST(QuickTunnel, ReportsTheUrlGatesHealthzUntilReadyAndServesThroughTheEdge) {
    Workspace ws;
    const auto secret = ws.create_token("agent");
    TunnelProxy proxy(ws, tunnel_config("tunnel-cloudflared", kQuick),
                      {"FAKE_CLOUDFLARED_REGISTER_DELAY_MS=1500"});

    // Until cloudflared registers a connection: 503.
    EXPECT_EQ(http_request(proxy.port(), http::verb::get, "/healthz").result_int(), 503);
    const auto state =
        wait_state(proxy.state_file(), [](const Json& s) { return s.value("edge_port", 0) != 0; });
    ASSERT_FALSE(state.is_null()) << proxy.log();
    EXPECT_EQ(http_request(proxy.port(), http::verb::get, "/healthz").result_int(), 503);

    const auto ready =
        tunnel::poll_until([&] { return http_request(proxy.port(), http::verb::get, "/healthz"); },
                           [](const auto& r) { return r.result_int() == 200; }, 10s);
    ASSERT_EQ(ready.result_int(), 200) << proxy.log();

    // The command line is the documented one, with a metrics port chosen by the adapter.
    const auto argv = state.at("argv");
    ASSERT_EQ(argv.size(), 6U) << argv.dump();
    EXPECT_EQ(argv[0], "tunnel");
    EXPECT_EQ(argv[1], "--url");
    EXPECT_EQ(argv[2], "http://127.0.0.1:" + std::to_string(proxy.port()));
    EXPECT_EQ(argv[3], "--metrics");
    EXPECT_TRUE(argv[4].get<std::string>().starts_with("127.0.0.1:")) << argv.dump();
    EXPECT_EQ(argv[5], "--no-autoupdate");

    const auto url = state.at("url").get<std::string>();
    EXPECT_NE(proxy.log().find("public URL is now " + url), std::string::npos) << proxy.log();
    EXPECT_EQ(tunnel::count_lines_with(proxy.log(), "do not carry Server-Sent Events"), 1U);

    const auto status =
        wait_tunnel(ws, [](const Json& t) { return t.value("state", "") == "ready"; });
    ASSERT_TRUE(status.value("running", false)) << status.dump();
    EXPECT_EQ(status["tunnels"][0]["provider"], "cloudflare");
    EXPECT_EQ(status["tunnels"][0]["public_url"], url);
    EXPECT_EQ(status["tunnels"][0]["restarts"], 0);
    const auto table = ws.cli({"tunnel", "status"});
    EXPECT_EQ(table.exit_code, 0);
    EXPECT_NE(table.out.find(url), std::string::npos) << table.out;
    EXPECT_NE(table.out.find("ready"), std::string::npos) << table.out;

    // Through the edge: Host is the public hostname, which the proxy now trusts.
    const auto edge = static_cast<unsigned short>(state.at("edge_port").get<int>());
    const auto through_edge = tunnel::mcp_list_tools(edge, bearer(secret));
    EXPECT_EQ(through_edge.result_int(), 200) << through_edge.body();
    // Without a token the edge gets the proxy's 401, not a pass.
    EXPECT_EQ(tunnel::mcp_initialize(edge, {}).result_int(), 401);
    // A different trycloudflare host is not trusted.
    auto headers = bearer(secret);
    headers["Host"] = "someone-else.trycloudflare.com";
    EXPECT_EQ(tunnel::mcp_initialize(proxy.port(), headers).result_int(), 403);
}

TEST(QuickTunnel, RestartsAKilledDaemonAndReportsItsNewUrl) {
    Workspace ws;
    ws.create_token("agent");
    TunnelProxy proxy(ws, tunnel_config("tunnel-cloudflared", kQuick));
    const auto first = wait_state(
        proxy.state_file(), [](const Json& s) { return s.value("ready_connections", 0) > 0; });
    ASSERT_FALSE(first.is_null()) << proxy.log();
    ASSERT_FALSE(wait_tunnel(ws, [&](const Json& t) {
                     return t["public_url"] == first["url"];
                 }).contains("timed_out"));

    const pid_t old_pid = first.at("pid").get<int>();
    ASSERT_EQ(::kill(old_pid, SIGKILL), 0);
    const auto second = wait_state(proxy.state_file(), [&](const Json& s) {
        return s.value("pid", 0) != old_pid && s.value("ready_connections", 0) > 0;
    });
    ASSERT_FALSE(second.is_null()) << proxy.log();
    EXPECT_NE(second["url"], first["url"]);  // a new quick tunnel, a new hostname

    const auto status = wait_tunnel(ws, [&](const Json& t) {
        return t.value("state", "") == "ready" && t["public_url"] == second["url"];
    });
    ASSERT_FALSE(status.contains("timed_out")) << status.dump() << proxy.log();
    EXPECT_EQ(status["tunnels"][0]["restarts"], 1);
    EXPECT_NE(status["tunnels"][0]["last_error"].get<std::string>().find("exited with code 137"),
              std::string::npos)
        << status.dump();
    EXPECT_NE(proxy.log().find("public URL is now " + second["url"].get<std::string>()),
              std::string::npos);
    EXPECT_EQ(http_request(proxy.port(), http::verb::get, "/healthz").result_int(), 200);
}

TEST(QuickTunnel, ADroppedConnectionIsDegradedUntilCloudflaredReconnects) {
    // The drop lasts 5 s: each status check runs the CLI, which under ASan on a loaded machine
    // takes long enough to miss a 2 s window entirely.
    Workspace ws;
    ws.create_token("agent");
    TunnelProxy proxy(
        ws, tunnel_config("tunnel-cloudflared", kQuick),
        {"FAKE_CLOUDFLARED_DROP_AFTER_MS=1000", "FAKE_CLOUDFLARED_RECONNECT_MS=5000"});
    ASSERT_FALSE(wait_tunnel(ws, [](const Json& t) {
                     return t.value("state", "") == "ready";
                 }).contains("timed_out"));
    const auto degraded =
        wait_tunnel(ws, [](const Json& t) { return t.value("state", "") == "degraded"; });
    ASSERT_FALSE(degraded.contains("timed_out")) << degraded.dump();
    EXPECT_NE(degraded["tunnels"][0]["detail"].get<std::string>().find("readyConnections 0"),
              std::string::npos);
    EXPECT_EQ(http_request(proxy.port(), http::verb::get, "/healthz").result_int(), 503);
    const auto back =
        wait_tunnel(ws, [](const Json& t) { return t.value("state", "") == "ready"; });
    ASSERT_FALSE(back.contains("timed_out")) << back.dump();
    EXPECT_EQ(back["tunnels"][0]["restarts"], 0);  // cloudflared reconnected by itself
    EXPECT_EQ(http_request(proxy.port(), http::verb::get, "/healthz").result_int(), 200);
}

TEST(QuickTunnel, SigtermStopsCloudflaredAndLeavesNothingBehind) {
    Workspace ws;
    ws.create_token("agent");
    TunnelProxy proxy(ws, tunnel_config("tunnel-cloudflared", kQuick));
    const auto state = wait_state(
        proxy.state_file(), [](const Json& s) { return s.value("ready_connections", 0) > 0; });
    ASSERT_FALSE(state.is_null()) << proxy.log();
    const pid_t daemon = state.at("pid").get<int>();
    const auto metrics_port = static_cast<unsigned short>(
        std::stoi(state.at("metrics").get<std::string>().substr(std::string("127.0.0.1:").size())));
    const auto edge_port = static_cast<unsigned short>(state.at("edge_port").get<int>());
    ASSERT_TRUE(process_alive(daemon));

    EXPECT_EQ(proxy.process().stop(), 0) << proxy.log();
    EXPECT_FALSE(process_alive(daemon)) << "cloudflared " << daemon << " outlived mcpproxy";
    EXPECT_TRUE(tunnel::port_is_free(metrics_port));
    EXPECT_TRUE(tunnel::port_is_free(edge_port));
    EXPECT_EQ(proxy.log().find("tunnel failed"), std::string::npos) << proxy.log();
    const auto after = ws.cli({"tunnel", "status", "-o", "json"});
    const auto doc = Json::parse(after.out);
    EXPECT_FALSE(doc.value("running", true));
    EXPECT_EQ(doc["tunnels"][0]["state"], "stopped");
}

TEST(TunnelStatus, SaysSoWhenNoTunnelHasRun) {
    Workspace ws;
    ws.create_token("agent");
    const auto table = ws.cli({"tunnel", "status"});
    EXPECT_EQ(table.exit_code, 1);
    EXPECT_NE(table.err.find("no tunnel status"), std::string::npos) << table.err;
    const auto json = ws.cli({"tunnel", "status", "-o", "json"});
    EXPECT_EQ(json.exit_code, 1);
    EXPECT_EQ(Json::parse(json.out)["tunnels"].size(), 0U);
}

}  // namespace
}  // namespace mcpproxy::test::cloudflared
