// tailscaled wedging (its LocalAPI reads requests and never answers) or speaking garbage (broken
// JSON, wrong types) while the real tunnel-tailscale adapter is serving through it (issue 9): the
// tunnel turns degraded with a plain reason, logged once, the proxy keeps serving /healthz and /mcp
// on the loopback listener without spinning, a tailnet login is refused (not thrown on) when whois
// answers garbage, and no `tailscale` CLI process is left behind after shutdown.
#include <dirent.h>
#include <gtest/gtest.h>

#include <fstream>
#include <thread>

#include "tests/integration/tunnel-tailscale/adapter_harness.hpp"
#include "tests/integration/tunnel/tunnel_harness.hpp"
#include "tests/support/process_cpu.hpp"

namespace mcpproxy::test::adapters {
namespace {
namespace http = boost::beast::http;
using namespace std::chrono_literals;

constexpr const char* kHost = "mcp-box.tail1234.ts.net";

// Processes whose command line mentions `needle`.
std::vector<pid_t> processes_mentioning(const std::string& needle) {
    std::vector<pid_t> found;
    DIR* proc = ::opendir("/proc");
    if (proc == nullptr) return found;
    while (const auto* entry = ::readdir(proc)) {
        const std::string name = entry->d_name;
        if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos) continue;
        std::ifstream in("/proc/" + name + "/cmdline", std::ios::binary);
        const std::string cmdline((std::istreambuf_iterator<char>(in)),
                                  std::istreambuf_iterator<char>());
        if (cmdline.find(needle) != std::string::npos) found.push_back(std::stoi(name));
    }
    ::closedir(proc);
    return found;
}

struct Fault {
    std::string mode;    // written to <state>/fault
    std::string reason;  // in the tunnel's detail (garbage: it varies with the answer)
    std::string logged;  // the log lines of the spell: exactly one
};

// Test names and ctest entries show the fault, not the struct's bytes.
void PrintTo(const Fault& f, std::ostream* os) {
    *os << f.mode;
}

class TailscaledFaults : public ::testing::TestWithParam<Fault> {};

TEST_P(TailscaledFaults, TheTunnelIsDegradedWithAReasonAndTheProxyKeepsServing) {
    put_fakes_first_on_path();
    tunnel::Workspace workspace;
    const auto token = workspace.create_token("agent");
    const auto state = workspace.path() / "ts";
    std::filesystem::create_directories(state);
    const auto socket = (state / "tailscaled.sock").string();
    ChildProcess daemon({"node", (fakes_dir() / "tailscaled").string()},
                        {{"FAKE_TAILSCALE_DIR", state.string()}}, workspace.path() / "tsd.log");
    ASSERT_TRUE(eventually([&] { return std::filesystem::exists(socket); })) << daemon.log();
    const Json plugin{{"socket", socket},
                      {"poll_interval_ms", 200},
                      {"command_timeout_ms", 2000},
                      {"identities", {{"alice@example.com", {{"servers", Json::array({"*"})}}}}}};
    const Json config{
        {"tunnel", {{"enabled", true}, {"require_ready", false}}},
        {"plugins", Json::array({"auth-agent-token",
                                 Json{{"name", "tunnel-tailscale"}, {"config", plugin}}})}};
    tunnel::RunningProxy proxy(workspace, config);
    const auto ready = first_tunnel_status(
        workspace, [](const Json& t) { return t.value("state", "") == "ready"; });
    ASSERT_EQ(ready.value("state", ""), "ready") << ready.dump() << proxy.log();
    const auto edges = wait_json_file(state / "edges.json", [](const Json& j) {
        return j.contains(std::string(kHost) + ":443");
    });
    ASSERT_TRUE(edges);
    const auto edge = (*edges)[std::string(kHost) + ":443"]["port"].get<unsigned short>();

    const auto log_before_fault = proxy.log().size();
    std::ofstream(state / "fault") << GetParam().mode << "\n";
    const auto status = first_tunnel_status(
        workspace, [](const Json& t) { return t.value("state", "") == "degraded"; });
    EXPECT_EQ(status.value("state", ""), "degraded") << status.dump() << proxy.log();
    EXPECT_NE(status.value("detail", "").find(GetParam().reason), std::string::npos)
        << status.dump();

    // A tailnet login through the edge: whois cannot confirm it, so no identity (and no throw).
    EXPECT_EQ(mcp_tool_call(edge, {}, "x__y", Json::object()).result_int(), 401);

    const auto cpu_before = cpu_time(proxy.process().pid());
    const auto wall_before = std::chrono::steady_clock::now();
    for (int i = 0; i < 5; ++i) {
        EXPECT_EQ(http_request(proxy.main_port(), http::verb::get, "/healthz").result_int(), 200);
        EXPECT_EQ(tunnel::mcp_list_tools(proxy.main_port(), tunnel::bearer(token)).result_int(),
                  200);
        std::this_thread::sleep_for(200ms);
    }
    const auto cpu = cpu_time(proxy.process().pid()) - cpu_before;
    const auto wall = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - wall_before);
    EXPECT_LT(cpu.count(), wall.count() / 2)
        << "mcpproxy used " << cpu.count() << " ms of CPU in " << wall.count() << " ms";

    // One warning for the spell, not one per poll (garbage changes the reason at every poll).
    const auto log = proxy.log();
    const auto since_fault = log.substr(std::min(log_before_fault, log.size()));
    EXPECT_EQ(tunnel::count_lines_with(since_fault, GetParam().logged), 1U) << since_fault;
    EXPECT_EQ(log.find("authenticate() threw"), std::string::npos) << log;

    const auto stop_began = std::chrono::steady_clock::now();
    EXPECT_EQ(proxy.process().stop(), 0) << proxy.log();
    EXPECT_LT(std::chrono::steady_clock::now() - stop_began, 12s);
    EXPECT_TRUE(eventually([&] { return processes_mentioning("--socket=" + socket).empty(); }, 3s))
        << "a tailscale CLI process outlived mcpproxy";
}

INSTANTIATE_TEST_SUITE_P(Daemon, TailscaledFaults,
                         ::testing::Values(Fault{"hang", "did not answer within 2000 ms",
                                                 "warning [kernel] tunnel degraded:"},
                                           Fault{"garbage", "",
                                                 "warning [kernel] tunnel degraded:"}),
                         [](const auto& info) { return info.param.mode; });

// Hung before mcpproxy starts: the adapter's preflight cannot read the status, so the start is
// refused with one line that says so, within the CLI timeout, and no CLI process is left behind.
TEST(TailscaledFaultsAtStart, AHungTailscaledRefusesTheStartWithOneLine) {
    put_fakes_first_on_path();
    tunnel::Workspace workspace;
    workspace.create_token("agent");
    const auto state = workspace.path() / "ts";
    std::filesystem::create_directories(state);
    const auto socket = (state / "tailscaled.sock").string();
    ChildProcess daemon({"node", (fakes_dir() / "tailscaled").string()},
                        {{"FAKE_TAILSCALE_DIR", state.string()}, {"FAKE_TAILSCALE_FAULT", "hang"}},
                        workspace.path() / "tsd.log");
    ASSERT_TRUE(eventually([&] { return std::filesystem::exists(socket); })) << daemon.log();
    const Json plugin{{"socket", socket}, {"command_timeout_ms", 2000}};
    const Json config{
        {"tunnel", {{"enabled", true}}},
        {"plugins", Json::array({"auth-agent-token",
                                 Json{{"name", "tunnel-tailscale"}, {"config", plugin}}})}};
    const auto began = std::chrono::steady_clock::now();
    const auto r = workspace.serve_to_completion(config);
    EXPECT_LT(std::chrono::steady_clock::now() - began, 15s);
    EXPECT_EQ(r.exit_code, 1) << r.err;
    const auto errors = tunnel::error_lines(r.err);
    ASSERT_EQ(errors.size(), 1U) << r.err;
    EXPECT_NE(errors[0].find("plugin tunnel-tailscale: "), std::string::npos) << errors[0];
    EXPECT_NE(errors[0].find("did not answer within 2000 ms"), std::string::npos) << errors[0];
    EXPECT_TRUE(eventually([&] { return processes_mentioning("--socket=" + socket).empty(); }, 3s))
        << "a tailscale CLI process outlived mcpproxy";
}

}  // namespace
}  // namespace mcpproxy::test::adapters
