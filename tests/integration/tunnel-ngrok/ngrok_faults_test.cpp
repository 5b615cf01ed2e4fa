// An ngrok agent that hangs (its API never answers, it ignores SIGTERM) or speaks garbage (junk
// on its JSON log, broken JSON from its API), behind the real tunnel-ngrok adapter (issue 9): the
// tunnel is reported failed with a plain reason once ready_timeout_ms has passed, the proxy keeps
// serving /healthz and /mcp on the loopback listener without spinning, and on shutdown the agent
// is gone.
#include <gtest/gtest.h>

#include <thread>

#include "tests/integration/tunnel-tailscale/adapter_harness.hpp"
#include "tests/integration/tunnel/tunnel_harness.hpp"
#include "tests/support/process_cpu.hpp"

namespace mcpproxy::test::adapters {
namespace {
namespace http = boost::beast::http;
using namespace std::chrono_literals;

constexpr const char* kToken = "2abcDEFghiJKLmnoPQRstuVWXyz_0123456789abcd";

struct Fault {
    std::string mode;    // FAKE_NGROK_FAULT
    std::string reason;  // in the tunnel's detail
};

// Test names and ctest entries show the fault, not the struct's bytes.
void PrintTo(const Fault& f, std::ostream* os) {
    *os << f.mode;
}

class NgrokFaults : public ::testing::TestWithParam<Fault> {};

TEST_P(NgrokFaults, TheTunnelFailsWithAReasonAndTheProxyKeepsServing) {
    put_fakes_first_on_path();
    tunnel::Workspace workspace;
    const auto token = workspace.create_token("agent");
    const auto state = workspace.path() / "ngrok-state";
    const Json plugin{{"poll_interval_ms", 200}, {"ready_timeout_ms", 1500}};
    const Json config{
        {"tunnel", {{"enabled", true}, {"require_ready", false}}},
        {"plugins",
         Json::array({"auth-agent-token", Json{{"name", "tunnel-ngrok"}, {"config", plugin}}})}};
    ProxyProcess proxy(
        {"--config", workspace.write_config(config).string()}, workspace.path(),
        {"FAKE_NGROK_DIR=" + state.string(), std::string("NGROK_AUTHTOKEN=") + kToken,
         "FAKE_NGROK_FAULT=" + GetParam().mode});
    ASSERT_TRUE(proxy.started()) << proxy.log();
    const auto agent =
        wait_json_file(state / "agent.json", [](const Json& j) { return j.contains("pid"); });
    ASSERT_TRUE(agent) << proxy.log();
    const auto pid = (*agent)["pid"].get<pid_t>();

    const auto status = first_tunnel_status(
        workspace, [](const Json& t) { return t.value("state", "") == "failed"; });
    EXPECT_EQ(status.value("state", ""), "failed") << status.dump() << proxy.log();
    const auto detail = status.value("detail", "");
    EXPECT_NE(detail.find("ngrok is not ready after 1500 ms"), std::string::npos) << detail;
    EXPECT_NE(detail.find(GetParam().reason), std::string::npos) << detail;

    const auto cpu_before = cpu_time(proxy.pid());
    const auto wall_before = std::chrono::steady_clock::now();
    for (int i = 0; i < 5; ++i) {
        EXPECT_EQ(http_request(proxy.port(), http::verb::get, "/healthz").result_int(), 200);
        EXPECT_EQ(tunnel::mcp_list_tools(proxy.port(), tunnel::bearer(token)).result_int(), 200);
        std::this_thread::sleep_for(200ms);
    }
    const auto cpu = cpu_time(proxy.pid()) - cpu_before;
    const auto wall = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - wall_before);
    EXPECT_LT(cpu.count(), wall.count() / 2)
        << "mcpproxy used " << cpu.count() << " ms of CPU in " << wall.count() << " ms";
    EXPECT_TRUE(pid_alive(pid));
    EXPECT_EQ(
        tunnel::count_lines_with(proxy.log(), "warning [kernel] tunnel failed: ngrok is not ready"),
        1U)
        << proxy.log();

    const auto stop_began = std::chrono::steady_clock::now();
    EXPECT_EQ(proxy.stop(), 0) << proxy.log();
    EXPECT_LT(std::chrono::steady_clock::now() - stop_began, 12s);
    EXPECT_TRUE(eventually([&] { return !pid_alive(pid); }, 2s))
        << "ngrok " << pid << " outlived mcpproxy";
}

INSTANTIATE_TEST_SUITE_P(Agent, NgrokFaults,
                         ::testing::Values(Fault{"hang", ") did not answer"},
                                           Fault{"garbage", "ngrok is not ready"}),
                         [](const auto& info) { return info.param.mode; });

}  // namespace
}  // namespace mcpproxy::test::adapters
