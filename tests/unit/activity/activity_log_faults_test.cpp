#include <gtest/gtest.h>
#include <sqlite3.h>

#include "fault_vfs.hpp"
#include "kernel/activity/activity_log.hpp"
#include "kernel/activity/sqlite_activity_store.hpp"
#include "kernel/activity/store_error.hpp"
#include "test_support.hpp"

namespace mcpproxy::activity {
namespace {

using namespace std::chrono_literals;
using test::make_record;
using test::TempDir;

ActivityLogOptions fast_retry_options() {
    ActivityLogOptions options;
    options.retention = std::chrono::days(0);
    options.flush_interval = 20ms;
    options.retry_initial = 20ms;
    options.retry_max = 100ms;
    return options;
}

void record_range(ActivityLog& log, int from, int to) {
    for (int i = from; i < to; ++i) log.record(make_record(i));
}

// Serving must go on while the store refuses writes, the failure must show in health() and once
// in the log, nothing committed may be lost, and the log must catch up by itself afterwards.
void expect_outage_and_recovery(const std::shared_ptr<SqliteActivityStore>& store,
                                const std::function<void()>& break_store,
                                const std::function<void()>& repair_store,
                                const std::string& expected_error) {
    test::CapturedLog captured;
    ActivityLog log(store, captured.logger, fast_retry_options());
    record_range(log, 0, 100);
    ASSERT_TRUE(log.flush());
    ASSERT_EQ(store->count(), 100u);

    break_store();
    record_range(log, 100, 300);
    EXPECT_FALSE(log.flush());
    auto health = log.health();
    EXPECT_FALSE(health.ok);
    EXPECT_NE(health.last_error.find(expected_error), std::string::npos) << health.last_error;
    EXPECT_EQ(health.pending, 200u);

    // Still serving: records keep being accepted while the writer retries in the background.
    record_range(log, 300, 400);
    std::this_thread::sleep_for(300ms);
    health = log.health();
    EXPECT_FALSE(health.ok);
    EXPECT_EQ(health.pending, 300u);
    EXPECT_EQ(health.dropped, 0u);
    EXPECT_EQ(captured.count("error", "cannot write"), 1u) << "logged once per state change";
    EXPECT_EQ(store->count(), 100u) << "committed records survive the outage";

    repair_store();
    ASSERT_TRUE(test::wait_until([&] {
        const auto h = log.health();
        return h.ok && h.pending == 0;
    })) << "no automatic recovery";
    EXPECT_TRUE(log.health().last_error.empty());
    EXPECT_EQ(store->count(), 400u);
    EXPECT_EQ(captured.count("info", "writable again"), 1u);
    EXPECT_EQ(test::sql_scalar(store->path(), "SELECT count(DISTINCT request_id) FROM activity"),
              400);
    EXPECT_EQ(test::integrity_check(store->path()), "ok");
}

TEST(ActivityLogFaults, DiskFullKeepsRecordsInMemoryAndRecovers) {
    test::FaultVfs::install();
    TempDir dir;
    auto store = std::make_shared<SqliteActivityStore>(
        dir.path(), SqliteStoreOptions{.vfs = test::FaultVfs::kName});
    expect_outage_and_recovery(
        store, [] { test::FaultVfs::fail_writes_with(SQLITE_FULL); },
        [] { test::FaultVfs::heal(); }, "disk is full");
}

TEST(ActivityLogFaults, ReadOnlyFileSystemKeepsRecordsInMemoryAndRecovers) {
    // A file system remounted read-only fails writes on already open files with EROFS, which
    // SQLite reports as SQLITE_IOERR_WRITE. (chmod would not do: open descriptors stay writable,
    // and the tests may run as root.)
    test::FaultVfs::install();
    TempDir dir;
    auto store = std::make_shared<SqliteActivityStore>(
        dir.path(), SqliteStoreOptions{.vfs = test::FaultVfs::kName});
    expect_outage_and_recovery(
        store, [] { test::FaultVfs::fail_writes_with(SQLITE_IOERR_WRITE); },
        [] { test::FaultVfs::heal(); }, "disk I/O error");
}

TEST(ActivityLogFaults, AnotherProcessHoldingTheWriteLockKeepsRecordsInMemoryAndRecovers) {
    TempDir dir;
    auto store =
        std::make_shared<SqliteActivityStore>(dir.path(), SqliteStoreOptions{.busy_timeout = 10ms});
    sqlite3* other = nullptr;
    ASSERT_EQ(sqlite3_open(store->path().c_str(), &other), SQLITE_OK);
    expect_outage_and_recovery(
        store,
        [other] {
            ASSERT_EQ(sqlite3_exec(other, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
        },
        [other] { sqlite3_exec(other, "ROLLBACK", nullptr, nullptr, nullptr); },
        "database is locked");
    sqlite3_close(other);
}

TEST(ActivityLogFaults, RetriesBackOffInsteadOfHammeringTheStore) {
    class CountingFailingStore final : public ActivityStore {
    public:
        void insert_batch(std::span<const ActivityRecord>) override {
            ++attempts;
            throw StoreError(StoreErrorKind::full, 13, "database or disk is full");
        }
        void visit(const ActivityFilter&, const Visitor&) override {}
        std::uint64_t prune(std::chrono::system_clock::time_point, std::uint64_t) override {
            return 0;
        }
        std::uint64_t prune_oldest(std::uint64_t) override { return 0; }
        std::optional<StoreUsage> usage() override { return std::nullopt; }
        std::uint64_t count() override { return 0; }
        std::atomic<int> attempts{0};
    };
    auto store = std::make_shared<CountingFailingStore>();
    ActivityLogOptions options;
    options.retention = std::chrono::days(0);
    options.flush_interval = 5ms;
    options.retry_initial = 50ms;
    options.retry_max = 200ms;
    ActivityLog log(store, nullptr, options);
    log.record(make_record(0));
    std::this_thread::sleep_for(1s);
    // Without back-off: ~200 attempts. With it: 50+100+200+200+200+... ms apart, about 6.
    EXPECT_GE(store->attempts.load(), 3);
    EXPECT_LE(store->attempts.load(), 10);
    EXPECT_EQ(log.health().pending, 1u);
}

}  // namespace
}  // namespace mcpproxy::activity
