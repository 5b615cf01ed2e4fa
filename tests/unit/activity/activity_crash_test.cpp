#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <thread>

#include "kernel/activity/activity_log.hpp"
#include "kernel/activity/sqlite_activity_store.hpp"
#include "test_support.hpp"

namespace mcpproxy::activity {
namespace {

using namespace std::chrono_literals;
using std::chrono::system_clock;

// The child records 1000, flushes, tells the parent, then keeps recording one record per `pace`
// (the background writer committing batches) until it is killed. Never returns.
[[noreturn]] void run_child(const std::filesystem::path& dir, int ready_fd,
                            std::chrono::microseconds pace) {
    try {
        auto store = std::make_shared<SqliteActivityStore>(dir);
        ActivityLogOptions options;
        options.retention = std::chrono::days(0);
        ActivityLog log(store, nullptr, options);
        int i = 0;
        for (; i < 1000; ++i) log.record(test::make_record(i));
        if (!log.flush()) ::_exit(2);
        const char ready = 'r';
        if (::write(ready_fd, &ready, 1) != 1) ::_exit(3);
        for (;; ++i) {
            log.record(test::make_record(i));
            std::this_thread::sleep_for(pace);
        }
    } catch (...) {
        ::_exit(4);
    }
}

// Kills a child writing at the given pace and checks what the file holds afterwards.
void kill_writer_and_check(std::chrono::microseconds pace) {
    test::TempDir dir;
    int pipe_fds[2];
    ASSERT_EQ(::pipe(pipe_fds), 0);
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        ::close(pipe_fds[0]);
        run_child(dir.path(), pipe_fds[1], pace);
    }
    ::close(pipe_fds[1]);
    char ready = 0;
    const auto got = ::read(pipe_fds[0], &ready, 1);
    ::close(pipe_fds[0]);
    if (got != 1) {
        ::kill(child, SIGKILL);
        ::waitpid(child, nullptr, 0);
        FAIL() << "child failed before its first flush";
    }

    std::this_thread::sleep_for(1500ms);  // several background batches, one likely mid-commit
    const auto killed_at = system_clock::now();
    ASSERT_EQ(::kill(child, SIGKILL), 0);
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);

    const auto db = dir.path() / SqliteActivityStore::kFileName;
    EXPECT_EQ(test::integrity_check(db), "ok");
    SqliteActivityStore store(dir.path());  // opens (and recovers the WAL) cleanly
    const auto count = store.count();
    EXPECT_GE(count, 1000u);
    EXPECT_EQ(test::sql_scalar(db, "SELECT count(*) FROM activity WHERE request_id < 'req-001000'"),
              1000);
    // Batches commit in order, so what survived is a gap-free prefix...
    const auto newest = store.query({.limit = 1});
    ASSERT_EQ(newest.size(), 1u);
    const int last_index = std::stoi(newest.front().request_id.substr(4));
    EXPECT_EQ(count, static_cast<std::uint64_t>(last_index) + 1);
    // ...reaching to within a second of the kill.
    ::testing::Test::RecordProperty(
        "lost_ms", static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                        killed_at - newest.front().time)
                                        .count()));
    EXPECT_GT(newest.front().time, killed_at - 1s)
        << "lost "
        << std::chrono::duration_cast<std::chrono::milliseconds>(killed_at - newest.front().time)
               .count()
        << " ms of records";
}

TEST(ActivityCrash, SigkillDuringHeavyWritesNeverCorruptsTheFile) {
    // ~10k records/s: batches fill to the early-write threshold, so a commit is likely in flight
    // when the kill lands; still slow enough that nothing is dropped.
    kill_writer_and_check(100us);
}

TEST(ActivityCrash, SigkillDuringLightTrafficLosesAtMostTheLastSecond) {
    // ~200 records/s never reaches the early-write threshold: only the flush interval bounds the
    // loss here.
    kill_writer_and_check(5ms);
}

}  // namespace
}  // namespace mcpproxy::activity
