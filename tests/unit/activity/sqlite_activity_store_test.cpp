#include "kernel/activity/sqlite_activity_store.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include "fault_vfs.hpp"
#include "kernel/activity/activity_schema.hpp"
#include "kernel/activity/store_error.hpp"
#include "test_support.hpp"

namespace mcpproxy::activity {
namespace {

using namespace std::chrono_literals;
using std::chrono::system_clock;
using test::make_record;
using test::TempDir;

// SQLite keeps microseconds, so tests compare against times already at that precision.
system_clock::time_point base_time() {
    return system_clock::time_point(std::chrono::microseconds(1'714'560'000'123'456));
}

std::vector<ActivityRecord> records_every_second(int n) {
    std::vector<ActivityRecord> records;
    for (int i = 0; i < n; ++i)
        records.push_back(make_record(i, base_time() + std::chrono::seconds(i)));
    return records;
}

std::vector<std::string> ids(const std::vector<ActivityRecord>& records) {
    std::vector<std::string> out;
    for (const auto& r : records) out.push_back(r.request_id);
    return out;
}

TEST(SqliteActivityStore, StoresEveryFieldAndReadsItBack) {
    TempDir dir;
    SqliteActivityStore store(dir.path());
    ActivityRecord full = make_record(1, base_time());
    full.jsonrpc_error = -32601;
    full.arguments = R"({"path":"/etc/hosts","token":"[REDACTED]"})";
    full.bytes_in = std::uint64_t{1} << 40;
    ActivityRecord minimal = make_record(2, base_time() + 1s);
    ASSERT_FALSE(minimal.jsonrpc_error);
    ASSERT_FALSE(minimal.arguments);

    const std::vector<ActivityRecord> batch{full, minimal};
    store.insert_batch(batch);

    const auto back = store.query({.order = Order::oldest_first});
    ASSERT_EQ(back.size(), 2u);
    EXPECT_EQ(back[0], full);
    EXPECT_EQ(back[1], minimal);
    EXPECT_EQ(store.count(), 2u);
}

TEST(SqliteActivityStore, FiltersOnEachFieldAndTheirCombination) {
    TempDir dir;
    SqliteActivityStore store(dir.path());
    store.insert_batch(records_every_second(40));

    const auto all_match = [](const std::vector<ActivityRecord>& rs, auto pred) {
        return std::all_of(rs.begin(), rs.end(), pred);
    };
    const auto by_identity = store.query({.identity = "alice"});
    EXPECT_EQ(by_identity.size(), 20u);
    EXPECT_TRUE(all_match(by_identity, [](auto& r) { return r.identity_name == "alice"; }));

    const auto by_server = store.query({.server = "github"});
    EXPECT_EQ(by_server.size(), 10u);
    EXPECT_TRUE(all_match(by_server, [](auto& r) { return r.server == "github"; }));

    const auto denied = store.query({.decision = "denied"});
    EXPECT_EQ(denied.size(), 8u);
    EXPECT_TRUE(all_match(denied, [](auto& r) { return r.decision == "denied"; }));

    const auto lists = store.query({.method = "tools/list"});
    EXPECT_EQ(lists.size(), 14u);  // 0, 3, ..., 39

    // identity ci-bot = even, github = multiple of 4, denied = multiple of 5: 0 and 20.
    const auto combined =
        store.query({.identity = "ci-bot", .server = "github", .decision = "denied"});
    EXPECT_EQ(ids(combined), (std::vector<std::string>{"req-000020", "req-000000"}));

    EXPECT_TRUE(store.query({.identity = "nobody"}).empty());
}

TEST(SqliteActivityStore, TimeRangeIncludesSinceAndExcludesUntil) {
    TempDir dir;
    SqliteActivityStore store(dir.path());
    store.insert_batch(records_every_second(10));

    const auto range = store.query(
        {.since = base_time() + 3s, .until = base_time() + 6s, .order = Order::oldest_first});
    EXPECT_EQ(ids(range), (std::vector<std::string>{"req-000003", "req-000004", "req-000005"}));
    EXPECT_EQ(store.query({.since = base_time() + 10s}).size(), 0u);
    EXPECT_EQ(store.query({.until = base_time()}).size(), 0u);
}

TEST(SqliteActivityStore, ListsNewestFirstWithADefaultLimitOfOneHundred) {
    TempDir dir;
    SqliteActivityStore store(dir.path());
    store.insert_batch(records_every_second(150));

    const auto newest = store.query({});
    ASSERT_EQ(newest.size(), 100u);
    EXPECT_EQ(newest.front().request_id, "req-000149");
    EXPECT_EQ(newest.back().request_id, "req-000050");
    EXPECT_TRUE(std::is_sorted(newest.begin(), newest.end(),
                               [](auto& a, auto& b) { return a.time > b.time; }));

    EXPECT_EQ(ids(store.query({.limit = 3})),
              (std::vector<std::string>{"req-000149", "req-000148", "req-000147"}));
    EXPECT_EQ(store.query({.limit = 0}).size(), 150u);
    EXPECT_EQ(store.query({.limit = 2, .order = Order::oldest_first}).front().request_id,
              "req-000000");
}

TEST(SqliteActivityStore, RecordsWithTheSameTimeListInInsertionOrder) {
    TempDir dir;
    SqliteActivityStore store(dir.path());
    std::vector<ActivityRecord> same;
    for (int i = 0; i < 3; ++i) same.push_back(make_record(i, base_time()));
    store.insert_batch(same);
    EXPECT_EQ(ids(store.query({})),
              (std::vector<std::string>{"req-000002", "req-000001", "req-000000"}));
}

TEST(SqliteActivityStore, DatabaseAndItsWalFilesAreOwnerOnly) {
    TempDir dir;
    const mode_t old_umask = ::umask(0);  // even a permissive umask must not widen the mode
    {
        SqliteActivityStore store(dir.path());
        store.insert_batch(records_every_second(3));
        EXPECT_EQ(test::file_mode(store.path()), 0600u);
        EXPECT_EQ(test::file_mode(store.path().string() + "-wal"), 0600u);
        EXPECT_EQ(test::file_mode(store.path().string() + "-shm"), 0600u);
    }
    ::umask(old_umask);
}

TEST(SqliteActivityStore, TightensAnExistingFileThatOthersCouldRead) {
    TempDir dir;
    const auto path = dir.path() / SqliteActivityStore::kFileName;
    { SqliteActivityStore store(dir.path()); }
    ::chmod(path.c_str(), 0644);
    SqliteActivityStore store(dir.path());
    EXPECT_EQ(test::file_mode(path), 0600u);
}

TEST(SqliteActivityStore, UsesWalAndTheLatestSchemaAndKeepsDataAcrossReopen) {
    TempDir dir;
    const auto path = dir.path() / SqliteActivityStore::kFileName;
    {
        SqliteActivityStore store(dir.path());
        store.insert_batch(records_every_second(5));
    }
    SqliteActivityStore reopened(dir.path());
    EXPECT_EQ(reopened.count(), 5u);
    EXPECT_EQ(test::sql_scalar(path, "PRAGMA user_version"), latest_activity_schema_version());
    EXPECT_EQ(test::sql_scalar(path,
                               "SELECT count(*) FROM pragma_journal_mode WHERE "
                               "journal_mode = 'wal'"),
              1);
    EXPECT_EQ(test::sql_scalar(path,
                               "SELECT count(*) FROM sqlite_master WHERE type = 'index' "
                               "AND name LIKE 'activity_by_%'"),
              4);
}

TEST(SqliteActivityStore, RefusesADatabaseFromANewerVersion) {
    TempDir dir;
    const auto path = dir.path() / SqliteActivityStore::kFileName;
    { SqliteActivityStore store(dir.path()); }
    test::sql_scalar(path, "PRAGMA user_version = 99");
    try {
        SqliteActivityStore store(dir.path());
        FAIL() << "opened a schema from the future";
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find("newer"), std::string::npos) << e.what();
    }
}

TEST(SqliteActivityStore, FailsClearlyWhenTheDataDirectoryIsMissing) {
    TempDir dir;
    try {
        SqliteActivityStore store(dir.path() / "missing");
        FAIL();
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find("does not exist"), std::string::npos) << e.what();
    }
}

TEST(SqliteActivityStore, ReadOnlyStoreReadsButNeverWritesOrCreates) {
    TempDir dir;
    EXPECT_THROW(SqliteActivityStore(dir.path(), {.read_only = true}), std::runtime_error);
    EXPECT_FALSE(std::filesystem::exists(dir.path() / SqliteActivityStore::kFileName));

    SqliteActivityStore writer(dir.path());
    writer.insert_batch(records_every_second(4));
    SqliteActivityStore reader(dir.path(), {.read_only = true});
    EXPECT_EQ(reader.query({}).size(), 4u);
    try {
        reader.insert_batch(records_every_second(1));
        FAIL();
    } catch (const StoreError& e) {
        EXPECT_EQ(e.kind(), StoreErrorKind::read_only);
    }
    EXPECT_EQ(writer.count(), 4u);
}

TEST(SqliteActivityStore, ReadOnlyStoreOpensAfterTheWriterHasClosed) {
    TempDir dir;
    { SqliteActivityStore(dir.path()).insert_batch(records_every_second(4)); }
    SqliteActivityStore reader(dir.path(), {.read_only = true});
    EXPECT_EQ(reader.count(), 4u);
    EXPECT_EQ(reader.query({.limit = 1}).front().request_id, "req-000003");
}

TEST(SqliteActivityStore, PrunesOnlyOlderRecordsAndAtMostTheRequestedNumber) {
    TempDir dir;
    SqliteActivityStore store(dir.path());
    store.insert_batch(records_every_second(10));

    EXPECT_EQ(store.prune(base_time() + 6s, 2), 2u);
    EXPECT_EQ(store.count(), 8u);
    EXPECT_EQ(store.query({.limit = 1, .order = Order::oldest_first}).front().request_id,
              "req-000002");
    EXPECT_EQ(store.prune(base_time() + 6s, 100), 4u);
    EXPECT_EQ(ids(store.query({.order = Order::oldest_first})),
              (std::vector<std::string>{"req-000006", "req-000007", "req-000008", "req-000009"}));
}

TEST(SqliteActivityStore, AFailedBatchLeavesNothingBehindAndReportsTheKind) {
    test::FaultVfs::install();
    TempDir dir;
    SqliteActivityStore store(dir.path(), {.vfs = test::FaultVfs::kName});
    store.insert_batch(records_every_second(2));

    test::FaultVfs::fail_writes_with(SQLITE_FULL);
    try {
        store.insert_batch(records_every_second(50));
        test::FaultVfs::heal();
        FAIL() << "insert succeeded on a full disk";
    } catch (const StoreError& e) {
        test::FaultVfs::heal();
        EXPECT_EQ(e.kind(), StoreErrorKind::full) << e.what();
        EXPECT_FALSE(e.record_specific());
    }
    EXPECT_EQ(store.count(), 2u);
    store.insert_batch(records_every_second(3));
    EXPECT_EQ(store.count(), 5u);
    EXPECT_EQ(test::integrity_check(store.path()), "ok");
}

TEST(SqliteActivityStore, AnotherWritersLockIsReportedAsBusy) {
    TempDir dir;
    SqliteActivityStore store(dir.path(), {.busy_timeout = 20ms});
    sqlite3* other = nullptr;
    ASSERT_EQ(sqlite3_open((dir.path() / SqliteActivityStore::kFileName).c_str(), &other),
              SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(other, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
    try {
        store.insert_batch(records_every_second(1));
        ADD_FAILURE() << "insert went through another writer's lock";
    } catch (const StoreError& e) {
        EXPECT_EQ(e.kind(), StoreErrorKind::busy) << e.what();
    }
    sqlite3_exec(other, "ROLLBACK", nullptr, nullptr, nullptr);
    sqlite3_close(other);
    store.insert_batch(records_every_second(1));
    EXPECT_EQ(store.count(), 1u);
}

}  // namespace
}  // namespace mcpproxy::activity
