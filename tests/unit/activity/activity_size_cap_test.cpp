#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "fake_store.hpp"
#include "kernel/activity/activity_log.hpp"
#include "kernel/activity/activity_retention.hpp"
#include "kernel/activity/sqlite_activity_store.hpp"
#include "test_support.hpp"

namespace mcpproxy::activity {
namespace {

using namespace std::chrono_literals;
using std::chrono::system_clock;

constexpr std::uint64_t kCap = 256 * 1024;
// Nothing runs on a timer during these tests: only the pass at start and the explicit calls.
constexpr RetentionSchedule kNoTimer{.age_interval = 1h, .size_interval = 1h};

// Records a millisecond apart from `start` on, so their order by time is their index order.
std::vector<ActivityRecord> batch(int first, int n, system_clock::time_point start) {
    std::vector<ActivityRecord> records;
    for (int i = first; i < first + n; ++i) {
        records.push_back(test::make_record(i, start + std::chrono::milliseconds(i)));
    }
    return records;
}

int index_of(const ActivityRecord& r) {
    return std::stoi(r.request_id.substr(4));
}

// The indexes of all stored records, oldest first.
std::vector<int> stored_indexes(ActivityStore& store) {
    std::vector<int> out;
    store.visit(ActivityFilter{.limit = 0, .order = Order::oldest_first},
                [&](const ActivityRecord& r) { out.push_back(index_of(r)); });
    return out;
}

// The store holds exactly the `n` newest of `written` records.
void expect_newest(const std::vector<int>& kept, int written) {
    ASSERT_FALSE(kept.empty());
    for (std::size_t i = 0; i < kept.size(); ++i) {
        ASSERT_EQ(kept[i], written - static_cast<int>(kept.size()) + static_cast<int>(i))
            << "a record is missing while an older one was kept";
    }
}

TEST(SqliteActivityStoreUsage, CountsPagesInUseNotFreeOnes) {
    test::TempDir dir;
    SqliteActivityStore store(dir.path());
    const auto empty = store.usage();
    ASSERT_TRUE(empty);
    EXPECT_EQ(empty->records, 0u);
    store.insert_batch(batch(0, 4000, system_clock::now()));
    const auto full = store.usage();
    ASSERT_TRUE(full);
    EXPECT_EQ(full->records, 4000u);
    EXPECT_GT(full->bytes, 4000u * 100);
    const auto file_size = std::filesystem::file_size(store.path());

    EXPECT_EQ(store.prune_oldest(3000), 3000u);
    const auto pruned = store.usage();
    ASSERT_TRUE(pruned);
    EXPECT_EQ(pruned->records, 1000u);
    // The deleted records' pages are free (for reuse), no longer counted, and the file keeps
    // its size: nothing is vacuumed.
    EXPECT_LT(pruned->bytes, full->bytes / 2);
    EXPECT_EQ(std::filesystem::file_size(store.path()), file_size);
}

TEST(SqliteActivityStoreUsage, PruneOldestGoesByTimeThenInsertionOrder) {
    test::TempDir dir;
    SqliteActivityStore store(dir.path());
    const auto t = system_clock::now();
    // Stored out of time order, as records of slow requests are; two share a time.
    store.insert_batch(std::vector<ActivityRecord>{
        test::make_record(3, t + 3ms), test::make_record(1, t + 1ms), test::make_record(4, t + 1ms),
        test::make_record(0, t), test::make_record(2, t + 2ms)});
    EXPECT_EQ(store.prune_oldest(3), 3u);
    EXPECT_EQ(stored_indexes(store), (std::vector<int>{2, 3}));
    EXPECT_EQ(store.prune_oldest(10), 2u);
    EXPECT_EQ(store.prune_oldest(10), 0u);
}

TEST(ActivitySizeCap, TheFileStopsGrowingAndTheNewestRecordsStay) {
    test::TempDir dir;
    auto store = std::make_shared<SqliteActivityStore>(dir.path());
    ActivityRetention retention(store, nullptr, RetentionLimits{.max_bytes = kCap}, kNoTimer);
    const auto start = system_clock::now();
    constexpr int kBatch = 250;  // ≈ 70 KB with indexes
    constexpr int kBatches = 60;
    std::uintmax_t largest_file = 0;
    std::uint64_t deleted = 0;
    for (int b = 0; b < kBatches; ++b) {
        store->insert_batch(batch(b * kBatch, kBatch, start));
        const auto step = retention.enforce_size_cap();
        ASSERT_TRUE(step);
        deleted += *step;
        largest_file = std::max(largest_file, std::filesystem::file_size(store->path()));
        ASSERT_LE(store->usage()->bytes, kCap);
    }
    // 15,000 records take ~4 MB uncapped. The file grows to about the cap plus one batch (measured:
    // 300 KiB) and then only reuses the pages freed by pruning.
    EXPECT_LE(largest_file, kCap + 96 * 1024);
    EXPECT_GT(deleted, 13'000u);
    const auto kept = stored_indexes(*store);
    EXPECT_EQ(kept.size() + deleted, std::size_t{kBatch * kBatches});
    expect_newest(kept, kBatch * kBatches);
    EXPECT_EQ(test::integrity_check(store->path()), "ok");
}

TEST(ActivitySizeCap, TheLogChecksAfterManyWritesWithoutWaitingForItsTimer) {
    test::TempDir dir;
    auto store = std::make_shared<SqliteActivityStore>(dir.path());
    ActivityLogOptions options;
    options.max_size = kCap;
    options.size_check_interval = 1h;  // only the record count can trigger a check
    options.size_check_records = 500;
    ActivityLog log(store, nullptr, options);
    const auto start = system_clock::now();
    constexpr int kChunk = 500;  // ≈ 135 KB
    constexpr int kChunks = 12;
    std::uintmax_t largest_file = 0;
    for (int c = 0; c < kChunks; ++c) {
        for (int i = c * kChunk; i < (c + 1) * kChunk; ++i) {
            log.record(test::make_record(i, start + std::chrono::milliseconds(i)));
        }
        ASSERT_TRUE(log.flush());
        ASSERT_TRUE(test::wait_until([&] { return store->usage()->bytes <= kCap; }))
            << "no size check after " << (c + 1) * kChunk << " records";
        largest_file = std::max(largest_file, std::filesystem::file_size(store->path()));
    }
    log.stop();
    expect_newest(stored_indexes(*store), kChunk * kChunks);
    EXPECT_LE(largest_file, kCap + 192 * 1024);  // the cap plus about one chunk
}

TEST(ActivitySizeCap, PrunesToNinetyPercentAndLogsOnce) {
    auto store = std::make_shared<test::FakeStore>();
    store->set_bytes_per_record(100);
    store->insert_batch(batch(0, 250, system_clock::now()));  // 25,000 bytes
    test::CapturedLog captured;
    ActivityRetention retention(store, captured.logger, RetentionLimits{.max_bytes = 10'000},
                                kNoTimer);
    ASSERT_TRUE(retention.enforce_size_cap());  // after, or instead of, the pass at start
    retention.stop();
    EXPECT_EQ(store->count(), 90u);
    expect_newest(stored_indexes(*store), 250);
    EXPECT_EQ(captured.count("info",
                             "activity log over its size cap (10.0 KB): deleted 160 oldest "
                             "records (25.0 KB -> 9.0 KB)"),
              1u);
}

TEST(ActivitySizeCap, UnderTheCapOrWithoutACapNothingIsDeleted) {
    auto store = std::make_shared<test::FakeStore>();
    store->set_bytes_per_record(100);
    store->insert_batch(batch(0, 100, system_clock::now()));  // 10,000 bytes
    {
        ActivityRetention retention(store, nullptr, RetentionLimits{.max_bytes = 10'000}, kNoTimer);
        EXPECT_EQ(retention.enforce_size_cap(), 0u);
    }
    {
        ActivityRetention retention(store, nullptr, RetentionLimits{}, kNoTimer);
        EXPECT_EQ(retention.enforce_size_cap(), 0u);
    }
    EXPECT_EQ(store->count(), 100u);
}

TEST(ActivitySizeCap, NewLimitsApplyAtOnce) {
    auto store = std::make_shared<test::FakeStore>();
    store->set_bytes_per_record(100);
    store->insert_batch(batch(0, 50, system_clock::now() - std::chrono::days(30)));
    store->insert_batch(batch(50, 200, system_clock::now()));
    ActivityRetention retention(store, nullptr, RetentionLimits{}, kNoTimer);
    ASSERT_EQ(retention.prune_once(), 0u);
    retention.set_limits(RetentionLimits{.max_age = std::chrono::days(7)});
    ASSERT_TRUE(test::wait_until([&] { return store->count() == 200; }));
    retention.set_limits(RetentionLimits{.max_age = std::chrono::days(7), .max_bytes = 10'000});
    ASSERT_TRUE(test::wait_until([&] { return store->count() == 90; }));
    retention.stop();
    expect_newest(stored_indexes(*store), 250);
}

TEST(ActivitySizeCap, TheLogTakesNewLimits) {
    auto store = std::make_shared<test::FakeStore>();
    store->set_bytes_per_record(100);
    ActivityLogOptions options;
    options.max_size = 0;
    ActivityLog log(store, nullptr, options);
    for (int i = 0; i < 300; ++i) log.record(test::make_record(i));
    ASSERT_TRUE(log.flush());
    EXPECT_EQ(store->count(), 300u);
    log.set_limits(std::chrono::days(90), 20'000);
    EXPECT_TRUE(test::wait_until([&] { return store->count() == 180; }));
    EXPECT_THROW(log.set_limits(std::chrono::milliseconds(-1), 0), std::invalid_argument);
}

}  // namespace
}  // namespace mcpproxy::activity
