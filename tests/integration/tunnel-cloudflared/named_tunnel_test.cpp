// Named tunnels: the token goes to cloudflared in TUNNEL_TOKEN only (never argv, never a log
// line), the configured hostname is reported and trusted, and a token the edge rejects fails
// the tunnel once instead of restarting forever.
#include <gtest/gtest.h>

#include <thread>

#include "tests/integration/tunnel-cloudflared/cloudflared_harness.hpp"

namespace mcpproxy::test::cloudflared {
namespace {
namespace http = boost::beast::http;
using tunnel::Workspace;

TEST(NamedTunnel, PassesTheTokenByEnvironmentAndReportsTheConfiguredHostname) {
    Workspace ws;
    const auto secret = ws.create_token("agent");
    const auto port = tunnel::pick_free_port();
    auto config = tunnel_config("tunnel-cloudflared",
                                {{"hostname", "mcp.example.com"}, {"poll_interval_ms", 100}});
    config["listen"] = "127.0.0.1:" + std::to_string(port);
    const auto token = well_formed_token();
    TunnelProxy proxy(ws, config,
                      {"TUNNEL_TOKEN=" + token, "FAKE_CLOUDFLARED_HOSTNAME=mcp.example.com",
                       "FAKE_CLOUDFLARED_ORIGIN=http://127.0.0.1:" + std::to_string(port)});
    const auto state = wait_state(
        proxy.state_file(), [](const Json& s) { return s.value("ready_connections", 0) == 4; });
    ASSERT_FALSE(state.is_null()) << proxy.log();
    EXPECT_EQ(state["mode"], "named");
    EXPECT_EQ(state["token_source"], "env");
    EXPECT_EQ(state["argv"].back(), "run");
    const auto cmdline = command_line(state["pid"].get<int>());
    EXPECT_NE(cmdline.find("tunnel --no-autoupdate --metrics 127.0.0.1:"), std::string::npos)
        << cmdline;
    EXPECT_EQ(cmdline.find(token), std::string::npos)
        << "the token is on cloudflared's command line";

    const auto status =
        wait_tunnel(ws, [](const Json& t) { return t.value("state", "") == "ready"; });
    ASSERT_FALSE(status.contains("timed_out")) << status.dump() << proxy.log();
    EXPECT_EQ(status["tunnels"][0]["public_url"], "https://mcp.example.com");
    const auto edge = static_cast<unsigned short>(state.at("edge_port").get<int>());
    EXPECT_EQ(tunnel::mcp_list_tools(edge, tunnel::bearer(secret)).result_int(), 200);
    EXPECT_EQ(proxy.log().find(token), std::string::npos) << "the token is in the log";
    EXPECT_EQ(proxy.log().find("do not carry Server-Sent Events"), std::string::npos);
}

TEST(NamedTunnel, ATokenTheEdgeRejectsFailsOnceWithAPlainMessage) {
    Workspace ws;
    ws.create_token("agent");
    TunnelProxy proxy(ws,
                      tunnel_config("tunnel-cloudflared",
                                    {{"hostname", "mcp.example.com"}, {"poll_interval_ms", 100}}),
                      {"TUNNEL_TOKEN=" + well_formed_token(), "FAKE_CLOUDFLARED_FAIL=bad-token"});
    const auto failed =
        wait_tunnel(ws, [](const Json& t) { return t.value("state", "") == "failed"; });
    ASSERT_FALSE(failed.contains("timed_out")) << failed.dump() << proxy.log();
    const auto detail = failed["tunnels"][0]["detail"].get<std::string>();
    EXPECT_NE(detail.find("rejected the tunnel token"), std::string::npos) << detail;
    EXPECT_NE(detail.find("Provided Tunnel token is not valid."), std::string::npos) << detail;
    EXPECT_NE(detail.find("not restarting"), std::string::npos) << detail;
    std::this_thread::sleep_for(2s);  // longer than the first back-off
    const auto later = ws.cli({"tunnel", "status", "-o", "json"});
    const auto doc = Json::parse(later.out);
    EXPECT_EQ(doc["tunnels"][0]["state"], "failed");
    EXPECT_EQ(doc["tunnels"][0]["restarts"], 0);
    EXPECT_EQ(http_request(proxy.port(), http::verb::get, "/healthz").result_int(), 503);
}

}  // namespace
}  // namespace mcpproxy::test::cloudflared
