#include "kernel/activity/activity_log.hpp"

#include <gtest/gtest.h>

#include <set>
#include <thread>

#include "fake_store.hpp"
#include "kernel/activity/sqlite_activity_store.hpp"
#include "test_support.hpp"

namespace mcpproxy::activity {
namespace {

using namespace std::chrono_literals;
using test::make_record;
using test::TempDir;

// Retention off so only the writer touches the store.
ActivityLogOptions quiet_options() {
    ActivityLogOptions options;
    options.retention = std::chrono::days(0);
    return options;
}

TEST(ActivityLog, EightThreadsRecordingTenThousandEachStoreExactlyAll) {
    TempDir dir;
    auto store = std::make_shared<SqliteActivityStore>(dir.path());
    auto options = quiet_options();
    options.queue_capacity = 100'000;  // the test is about losing nothing, not about the cap
    ActivityLog log(store, nullptr, options);

    constexpr int kThreads = 8;
    constexpr int kPerThread = 10'000;
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&log, t] {
            for (int i = 0; i < kPerThread; ++i) log.record(make_record(t * kPerThread + i));
        });
    }
    for (auto& thread : threads) thread.join();
    ASSERT_TRUE(log.flush());

    EXPECT_EQ(store->count(), std::uint64_t{kThreads * kPerThread});
    EXPECT_EQ(test::sql_scalar(store->path(), "SELECT count(DISTINCT request_id) FROM activity"),
              kThreads * kPerThread);
    const auto health = log.health();
    EXPECT_TRUE(health.ok);
    EXPECT_EQ(health.pending, 0u);
    EXPECT_EQ(health.dropped, 0u);
    EXPECT_EQ(health.written, std::uint64_t{kThreads * kPerThread});
}

TEST(ActivityLog, WritesInTheBackgroundWithinTheFlushInterval) {
    auto store = std::make_shared<test::FakeStore>();
    ActivityLog log(store, nullptr, quiet_options());
    log.record(make_record(1));
    // 200 ms is the interval; allow for a loaded machine, but no explicit flush.
    EXPECT_TRUE(test::wait_until([&] { return store->count() == 1; }, 1s));
}

TEST(ActivityLog, WritesEarlyOnceTheThresholdIsQueued) {
    auto store = std::make_shared<test::FakeStore>();
    auto options = quiet_options();
    options.flush_interval = std::chrono::hours(1);
    options.flush_threshold = 50;
    ActivityLog log(store, nullptr, options);
    for (int i = 0; i < 49; ++i) log.record(make_record(i));
    std::this_thread::sleep_for(100ms);
    EXPECT_EQ(store->count(), 0u);
    log.record(make_record(49));
    EXPECT_TRUE(test::wait_until([&] { return store->count() == 50; }, 2s));
}

TEST(ActivityLog, KeepsRecordsInOrderAndSplitsLargeQueuesIntoBatches) {
    auto store = std::make_shared<test::FakeStore>();
    auto options = quiet_options();
    options.flush_interval = std::chrono::hours(1);
    options.flush_threshold = 1'000'000;
    options.max_batch = 100;
    ActivityLog log(store, nullptr, options);
    for (int i = 0; i < 1000; ++i) log.record(make_record(i));
    ASSERT_TRUE(log.flush());
    const auto stored = store->stored();
    ASSERT_EQ(stored.size(), 1000u);
    for (int i = 0; i < 1000; ++i)
        EXPECT_EQ(stored[static_cast<std::size_t>(i)],
                  make_record(i, stored[static_cast<std::size_t>(i)].time));
    EXPECT_EQ(store->insert_calls(), 10);
}

TEST(ActivityLog, DropsAndCountsRecordsBeyondTheQueueCapacity) {
    auto store = std::make_shared<test::FakeStore>();
    store->fail_with(StoreErrorKind::busy);  // nothing drains, so the queue stays full
    auto options = quiet_options();
    options.queue_capacity = 10;
    ActivityLog log(store, nullptr, options);

    for (int i = 0; i < 25; ++i) log.record(make_record(i));
    auto health = log.health();
    EXPECT_EQ(health.pending, 10u);
    EXPECT_EQ(health.dropped, 15u);

    store->heal();
    ASSERT_TRUE(log.flush());
    const auto stored = store->stored();
    ASSERT_EQ(stored.size(), 10u);
    EXPECT_EQ(stored.front().request_id, "req-000000");  // the oldest are kept, the newest dropped
    EXPECT_EQ(stored.back().request_id, "req-000009");
    health = log.health();
    EXPECT_EQ(health.pending, 0u);
    EXPECT_EQ(health.dropped, 15u);
}

TEST(ActivityLog, WarnsAboutDropsAtMostOncePerInterval) {
    test::CapturedLog captured;
    auto store = std::make_shared<test::FakeStore>();
    store->fail_with(StoreErrorKind::busy);
    auto options = quiet_options();
    options.queue_capacity = 1;
    options.flush_interval = 10ms;
    {
        ActivityLog log(store, captured.logger, options);
        for (int i = 0; i < 5; ++i) log.record(make_record(i));
        ASSERT_TRUE(test::wait_until([&] { return captured.count("warning", "dropped") == 1; }));
        EXPECT_EQ(captured.count("warning", "dropped 4 records"), 1u);

        for (int i = 0; i < 5; ++i) log.record(make_record(i));
        std::this_thread::sleep_for(300ms);  // many writer cycles, all inside the 10 s window
        EXPECT_EQ(captured.count("warning", "dropped"), 1u);
    }
    // Stopping reports what the window held back.
    EXPECT_EQ(captured.count("warning", "dropped 5 records since the last report (9 in all"), 1u);
}

TEST(ActivityLog, StopStoresEverythingAndLaterRecordsAreDropped) {
    TempDir dir;
    auto store = std::make_shared<SqliteActivityStore>(dir.path());
    auto options = quiet_options();
    options.flush_interval = std::chrono::hours(1);
    options.flush_threshold = 1'000'000;
    ActivityLog log(store, nullptr, options);
    for (int i = 0; i < 3000; ++i) log.record(make_record(i));
    log.stop();
    EXPECT_EQ(store->count(), 3000u);
    log.record(make_record(3000));
    EXPECT_EQ(log.health().dropped, 1u);
    log.stop();  // idempotent
    EXPECT_EQ(store->count(), 3000u);
}

TEST(ActivityLog, ARecordTheStoreCanNeverTakeDoesNotHoldBackTheOthers) {
    test::CapturedLog captured;
    auto store = std::make_shared<test::FakeStore>();
    store->reject_request_id("req-000002");
    ActivityLog log(store, captured.logger, quiet_options());
    for (int i = 0; i < 5; ++i) log.record(make_record(i));
    ASSERT_TRUE(log.flush());

    std::vector<std::string> stored_ids;
    for (const auto& r : store->stored()) stored_ids.push_back(r.request_id);
    EXPECT_EQ(stored_ids,
              (std::vector<std::string>{"req-000000", "req-000001", "req-000003", "req-000004"}));
    const auto health = log.health();
    EXPECT_TRUE(health.ok);
    EXPECT_EQ(health.dropped, 1u);
    EXPECT_EQ(health.pending, 0u);
    EXPECT_EQ(captured.count("error", ""), 0u);
}

TEST(ActivityLog, RecordDoesNotWaitForASlowStore) {
    // A store stuck in I/O must not slow the request path: record() only queues.
    class StuckStore final : public test::FakeStore {
    public:
        void insert_batch(std::span<const ActivityRecord>) override {
            std::unique_lock lock(mutex);
            released.wait(lock, [this] { return release; });
        }
        std::mutex mutex;
        std::condition_variable released;
        bool release = false;
    };
    auto store = std::make_shared<StuckStore>();
    auto options = quiet_options();
    options.flush_threshold = 1;
    ActivityLog log(store, nullptr, options);
    log.record(make_record(0));  // the writer takes it and blocks inside the store
    ASSERT_TRUE(test::wait_until([&] { return log.health().pending == 1; }));

    const auto start = std::chrono::steady_clock::now();
    for (int i = 1; i <= 1000; ++i) log.record(make_record(i));
    const auto elapsed = std::chrono::steady_clock::now() - start;
    EXPECT_LT(elapsed, 1s);  // generous: blocking would mean forever
    EXPECT_EQ(log.health().pending, 1001u);
    {
        std::lock_guard lock(store->mutex);
        store->release = true;
    }
    store->released.notify_all();
}

TEST(ActivityLog, RefusesOptionsThatWouldSpinOrNeverWrite) {
    auto store = std::make_shared<test::FakeStore>();
    const auto refused = [&](auto change) {
        auto options = quiet_options();
        change(options);
        try {
            ActivityLog log(store, nullptr, options);
        } catch (const std::invalid_argument& e) {
            return std::string(e.what()).rfind("activity log: ", 0) == 0;
        }
        return false;
    };
    EXPECT_TRUE(refused([](ActivityLogOptions& o) { o.max_batch = 0; }));
    EXPECT_TRUE(refused([](ActivityLogOptions& o) { o.queue_capacity = 0; }));
    EXPECT_TRUE(refused([](ActivityLogOptions& o) { o.flush_threshold = 0; }));
    EXPECT_TRUE(refused([](ActivityLogOptions& o) { o.flush_interval = 0ms; }));
    EXPECT_TRUE(refused([](ActivityLogOptions& o) { o.retry_initial = 0ms; }));
    EXPECT_TRUE(refused([](ActivityLogOptions& o) { o.retry_max = 1ms; }));
    EXPECT_FALSE(refused([](ActivityLogOptions&) {}));
}

}  // namespace
}  // namespace mcpproxy::activity
