// SIGKILL of mcpproxy (no handler runs) must not leave its children behind: two stdio upstreams,
// one of them with a grandchild in its process group, and the fake cloudflared daemon.
#include <dirent.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <set>
#include <string>
#include <thread>

#include "tests/integration/mcp/mcp_proxy.hpp"
#include "tests/integration/tunnel-cloudflared/cloudflared_harness.hpp"

namespace mcpproxy::test {
namespace {

using namespace std::chrono_literals;
using cloudflared::Json;

struct ProcInfo {
    pid_t pid = 0;
    char state = '?';
    pid_t ppid = 0;
    pid_t pgrp = 0;
    std::string comm;
};

bool read_proc(pid_t pid, ProcInfo& out) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const auto open = text.find('(');
    const auto close = text.rfind(')');
    if (open == std::string::npos || close == std::string::npos || close + 2 >= text.size())
        return false;
    out.pid = pid;
    out.comm = text.substr(open + 1, close - open - 1);
    out.state = text[close + 2];
    char* cursor = nullptr;
    out.ppid = static_cast<pid_t>(std::strtol(text.c_str() + close + 3, &cursor, 10));
    out.pgrp = static_cast<pid_t>(std::strtol(cursor, &cursor, 10));
    return true;
}

std::vector<ProcInfo> all_processes() {
    std::vector<ProcInfo> out;
    DIR* proc = ::opendir("/proc");
    while (const dirent* e = ::readdir(proc)) {
        if (e->d_name[0] < '0' || e->d_name[0] > '9') continue;
        ProcInfo p;
        if (read_proc(static_cast<pid_t>(std::atoi(e->d_name)), p)) out.push_back(p);
    }
    ::closedir(proc);
    return out;
}

bool running(pid_t pid) {
    ProcInfo p;
    return read_proc(pid, p) && p.state != 'Z' && p.state != 'X';
}

// The children of `parent` and every member of their process groups (running ones only).
std::vector<ProcInfo> family_of(pid_t parent) {
    const auto all = all_processes();
    std::set<pid_t> groups;
    std::vector<ProcInfo> out;
    for (const auto& p : all) {
        if (p.ppid == parent && p.state != 'Z') {
            out.push_back(p);
            groups.insert(p.pid);
        }
    }
    for (const auto& p : all) {
        if (p.ppid != parent && groups.count(p.pgrp) != 0 && p.state != 'Z') out.push_back(p);
    }
    return out;
}

std::string describe(const std::vector<ProcInfo>& family) {
    std::string out;
    for (const auto& p : family) {
        if (running(p.pid))
            out += std::to_string(p.pid) + " " + cloudflared::command_line(p.pid) + "\n";
    }
    return out;
}

class OrphanTest : public ::testing::Test {
protected:
    tunnel::Workspace ws;

    void SetUp() override {
        cloudflared::put_fakes_first_on_path();
        ws.create_token("agent");
    }

    Json config() const {
        const auto upstream = stdio_upstream_binary();
        auto c = cloudflared::tunnel_config("tunnel-cloudflared", {{"poll_interval_ms", 100}});
        c["mcpServers"] =
            Json::array({Json{{"name", "alpha"}, {"command", upstream}, {"args", {"alpha"}}},
                         Json{{"name", "beta"},
                              {"command", "/bin/sh"},
                              {"args", {"-c", "sleep 300 & exec " + upstream + " beta"}}}});
        return c;
    }

    // Waits until mcpproxy runs both upstreams (beta with its sleeping grandchild) and
    // cloudflared.
    static std::vector<ProcInfo> wait_for_family(pid_t proxy) {
        std::vector<ProcInfo> family;
        const auto deadline = std::chrono::steady_clock::now() + 20s;
        while (std::chrono::steady_clock::now() < deadline) {
            family = family_of(proxy);
            int upstreams = 0;
            bool sleeper = false;
            bool daemon = false;
            for (const auto& p : family) {
                const auto cmd = cloudflared::command_line(p.pid);
                if (cmd.find("test-stdio-upstream") != std::string::npos) ++upstreams;
                if (p.comm == "sleep") sleeper = true;
                if (cmd.find("cloudflared") != std::string::npos) daemon = true;
            }
            if (upstreams >= 2 && sleeper && daemon) return family;
            std::this_thread::sleep_for(50ms);
        }
        ADD_FAILURE() << "mcpproxy did not start everything:\n" << describe(family);
        return family;
    }

    static bool has_guard(const std::vector<ProcInfo>& family) {
        for (const auto& p : family) {
            if (p.comm == "mcpproxy-guard") return true;
        }
        return false;
    }

    static std::vector<ProcInfo> still_running(const std::vector<ProcInfo>& family,
                                               std::chrono::milliseconds limit) {
        const auto deadline = std::chrono::steady_clock::now() + limit;
        std::vector<ProcInfo> left;
        do {
            left.clear();
            for (const auto& p : family) {
                if (running(p.pid)) left.push_back(p);
            }
            if (left.empty()) break;
            std::this_thread::sleep_for(20ms);
        } while (std::chrono::steady_clock::now() < deadline);
        return left;
    }
};

TEST_F(OrphanTest, SigkillOfMcpproxyEndsUpstreamsDaemonAndTheirGroups) {
    cloudflared::TunnelProxy proxy(ws, config());
    const pid_t pid = proxy.process().pid();
    const auto family = wait_for_family(pid);
    ASSERT_FALSE(HasFailure()) << proxy.log();
    EXPECT_TRUE(has_guard(family)) << describe(family);

    ASSERT_EQ(::kill(pid, SIGKILL), 0);
    EXPECT_EQ(proxy.process().wait_exit(5s), 128 + SIGKILL);
    // SIGTERM first; the guard waits at most a second before SIGKILL.
    const auto left = still_running(family, 2500ms);
    EXPECT_TRUE(left.empty()) << "left behind:\n" << describe(left);
    for (const auto& p : left) ::kill(p.pid, SIGKILL);
}

TEST_F(OrphanTest, OrderlyStopLeavesNothingAndTheGuardExits) {
    cloudflared::TunnelProxy proxy(ws, config());
    const pid_t pid = proxy.process().pid();
    const auto family = wait_for_family(pid);
    ASSERT_FALSE(HasFailure()) << proxy.log();
    EXPECT_TRUE(has_guard(family)) << describe(family);

    EXPECT_EQ(proxy.process().stop(), 0);
    const auto left = still_running(family, 2500ms);
    EXPECT_TRUE(left.empty()) << "left behind:\n" << describe(left);
    for (const auto& p : left) ::kill(p.pid, SIGKILL);
}

}  // namespace
}  // namespace mcpproxy::test
