// The orphan guard on its own (its own binary: enabling it adds a child and a descriptor, which
// the other process tests count). A forked "proxy" starts process groups with launch(), and dies
// by SIGKILL; every member of every group must be gone soon after. The guard is killed once on
// the way, to show that the next launch starts a new one that knows the earlier groups too.
#include "kernel/process/orphan_guard.hpp"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <set>
#include <thread>
#include <vector>

#include "kernel/process/launch.hpp"
#include "tests/unit/process/process_probes.hpp"

namespace mcpproxy::process {
namespace {

using namespace std::chrono_literals;

// The members of process group pgid that still run.
std::vector<pid_t> members_of(pid_t pgid) {
    std::vector<pid_t> out;
    DIR* proc = ::opendir("/proc");
    while (const dirent* e = ::readdir(proc)) {
        if (e->d_name[0] < '0' || e->d_name[0] > '9') continue;
        const pid_t pid = static_cast<pid_t>(std::atoi(e->d_name));
        if (::getpgid(pid) == pgid && !testing::process_is_gone(pid)) out.push_back(pid);
    }
    ::closedir(proc);
    return out;
}

void write_all(int fd, const void* data, std::size_t n) {
    ASSERT_EQ(::write(fd, data, n), static_cast<ssize_t>(n));
}

// Runs in the forked child: no gtest assertions, just exit codes.
[[noreturn]] void proxy_main(int report, int go) {
    enable_orphan_guard();
    auto start_group = [] {
        SpawnOptions options;
        options.argv = {"/bin/sh", "-c", "sleep 300 & sleep 300"};
        options.stdin_mode = options.stdout_mode = options.stderr_mode = Stdio::null;
        return launch(options).pid;
    };
    pid_t pids[4];
    pids[0] = start_group();
    pids[1] = orphan_guard_pid();
    ::kill(pids[1], SIGKILL);  // the guard dies first; the next launch must start another
    ::waitpid(pids[1], nullptr, 0);
    pids[2] = start_group();
    pids[3] = orphan_guard_pid();
    if (::write(report, pids, sizeof pids) != static_cast<ssize_t>(sizeof pids)) ::_exit(2);
    char byte = 0;
    if (::read(go, &byte, 1) != 1) ::_exit(3);
    ::raise(SIGKILL);
    ::_exit(4);
}

TEST(OrphanGuard, GroupsEndWhenTheProcessDiesBySigkillEvenAfterTheGuardWasRestarted) {
    int report[2];
    int go[2];
    ASSERT_EQ(::pipe(report), 0);
    ASSERT_EQ(::pipe(go), 0);
    const pid_t proxy = ::fork();
    ASSERT_GE(proxy, 0);
    if (proxy == 0) proxy_main(report[1], go[0]);
    ::close(report[1]);
    ::close(go[0]);
    pid_t pids[4] = {};
    ASSERT_EQ(::read(report[0], pids, sizeof pids), static_cast<ssize_t>(sizeof pids));
    const pid_t first = pids[0];
    const pid_t second = pids[2];
    EXPECT_GT(pids[1], 0);
    EXPECT_GT(pids[3], 0);
    EXPECT_NE(pids[1], pids[3]) << "no new guard after the first was killed";

    // Both groups hold the shell and its background sleep.
    std::vector<pid_t> everyone;
    const auto deadline = std::chrono::steady_clock::now() + 5s;
    for (;;) {
        const auto a = members_of(first);
        const auto b = members_of(second);
        if ((a.size() >= 2 && b.size() >= 2) || std::chrono::steady_clock::now() > deadline) {
            everyone = a;
            everyone.insert(everyone.end(), b.begin(), b.end());
            break;
        }
        std::this_thread::sleep_for(10ms);
    }
    ASSERT_GE(everyone.size(), 4U);
    everyone.push_back(pids[3]);

    write_all(go[1], "x", 1);
    int status = 0;
    ASSERT_EQ(::waitpid(proxy, &status, 0), proxy);
    ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
    for (const pid_t pid : everyone) {
        EXPECT_TRUE(testing::gone_within(pid, 3s)) << "pid " << pid << " outlived its parent";
    }
    for (const pid_t pid : everyone) ::kill(pid, SIGKILL);
    ::close(report[0]);
    ::close(go[1]);
}

TEST(OrphanGuard, DisabledMeansNoGuard) {
    // This process never enabled it.
    EXPECT_EQ(orphan_guard_pid(), 0);
}

}  // namespace
}  // namespace mcpproxy::process
