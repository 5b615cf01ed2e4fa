// A cloudflared that hangs (its metrics API never answers, it ignores SIGTERM) or speaks garbage
// (junk bytes on its output, broken JSON from its metrics API), behind the real tunnel-cloudflared
// adapter (issue 9). The tunnel is reported failed with a plain reason once ready_timeout_ms has
// passed, the proxy keeps serving /healthz and /mcp on the loopback listener, it does not spin,
// and on shutdown the daemon is gone (SIGKILL after the grace when SIGTERM is ignored).
#include <gtest/gtest.h>

#include <thread>

#include "tests/integration/tunnel-cloudflared/cloudflared_harness.hpp"
#include "tests/support/process_cpu.hpp"

namespace mcpproxy::test::cloudflared {
namespace {
namespace http = boost::beast::http;

struct Fault {
    std::string mode;    // FAKE_CLOUDFLARED_FAIL
    std::string reason;  // in the tunnel's detail
};

// Test names and ctest entries show the fault, not the struct's bytes.
void PrintTo(const Fault& f, std::ostream* os) {
    *os << f.mode;
}

class CloudflaredFaults : public ::testing::TestWithParam<Fault> {};

TEST_P(CloudflaredFaults, TheTunnelFailsWithAReasonAndTheProxyKeepsServing) {
    tunnel::Workspace workspace;
    const auto token = workspace.create_token("agent");
    const Json plugin{
        {"poll_interval_ms", 200}, {"ready_timeout_ms", 1500}, {"stop_grace_ms", 1000}};
    TunnelProxy proxy(workspace, tunnel_config("tunnel-cloudflared", plugin, false),
                      {"FAKE_CLOUDFLARED_FAIL=" + GetParam().mode});
    const auto state =
        wait_state(proxy.state_file(), [](const Json& s) { return s.contains("pid"); });
    ASSERT_FALSE(state.is_null()) << proxy.log();
    const auto daemon = state["pid"].get<pid_t>();

    const auto failed = wait_tunnel(
        workspace, [](const Json& t) { return t.value("state", "") == "failed"; }, 10s);
    ASSERT_FALSE(failed.contains("timed_out")) << failed.dump(2) << proxy.log();
    const auto detail = failed["tunnels"][0].value("detail", "");
    EXPECT_NE(detail.find("cloudflared is not ready after 1.5 s"), std::string::npos) << detail;
    EXPECT_NE(detail.find(GetParam().reason), std::string::npos) << detail;

    // The loopback listener keeps serving, and the proxy is not spinning meanwhile.
    const auto cpu_before = cpu_time(proxy.process().pid());
    const auto wall_before = std::chrono::steady_clock::now();
    for (int i = 0; i < 5; ++i) {
        EXPECT_EQ(http_request(proxy.port(), http::verb::get, "/healthz").result_int(), 200);
        EXPECT_EQ(tunnel::mcp_list_tools(proxy.port(), tunnel::bearer(token)).result_int(), 200);
        std::this_thread::sleep_for(200ms);
    }
    const auto cpu = cpu_time(proxy.process().pid()) - cpu_before;
    const auto wall = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - wall_before);
    EXPECT_LT(cpu.count(), wall.count() / 2)
        << "mcpproxy used " << cpu.count() << " ms of CPU in " << wall.count() << " ms";
    EXPECT_TRUE(process_alive(daemon));

    // Logged once, not at every poll.
    EXPECT_EQ(tunnel::count_lines_with(proxy.log(),
                                       "warning [kernel] tunnel failed: cloudflared is not ready"),
              1U)
        << proxy.log();

    const auto stop_began = std::chrono::steady_clock::now();
    EXPECT_EQ(proxy.process().stop(), 0) << proxy.log();
    EXPECT_LT(std::chrono::steady_clock::now() - stop_began, 12s);
    EXPECT_FALSE(process_alive(daemon)) << "cloudflared " << daemon << " outlived mcpproxy";
}

INSTANTIATE_TEST_SUITE_P(Daemon, CloudflaredFaults,
                         ::testing::Values(Fault{"hang", "/ready) did not answer"},
                                           Fault{"garbage", "/ready) answered"}),
                         [](const auto& info) { return info.param.mode; });

}  // namespace
}  // namespace mcpproxy::test::cloudflared
