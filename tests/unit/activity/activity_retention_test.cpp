#include "kernel/activity/activity_retention.hpp"

#include <gtest/gtest.h>

#include "fake_store.hpp"
#include "kernel/activity/activity_log.hpp"
#include "kernel/activity/sqlite_activity_store.hpp"
#include "test_support.hpp"

namespace mcpproxy::activity {
namespace {

using namespace std::chrono_literals;
using std::chrono::days;
using std::chrono::system_clock;

std::vector<ActivityRecord> aged(int first, int n, system_clock::duration age) {
    std::vector<ActivityRecord> records;
    for (int i = first; i < first + n; ++i) {
        records.push_back(test::make_record(i, system_clock::now() - age));
    }
    return records;
}

TEST(ActivityRetention, TheLogPrunesExpiredRecordsWhenItStarts) {
    test::TempDir dir;
    auto store = std::make_shared<SqliteActivityStore>(dir.path());
    store->insert_batch(aged(0, 30, days(100)));
    store->insert_batch(aged(30, 10, days(89)));
    ActivityLog log(store, nullptr);  // default retention: 90 days
    EXPECT_TRUE(test::wait_until([&] { return store->count() == 10; }));
    for (const auto& r : store->query({})) EXPECT_GE(std::stoi(r.request_id.substr(4)), 30);
}

TEST(ActivityRetention, PrunesInStepsUntilNothingExpiredIsLeft) {
    test::TempDir dir;
    auto store = std::make_shared<SqliteActivityStore>(dir.path());
    store->insert_batch(aged(0, 12'000, days(8)));  // more than one step of 5000
    store->insert_batch(aged(12'000, 5, days(1)));
    test::CapturedLog captured;
    ActivityRetention retention(store, captured.logger, RetentionLimits{.max_age = days(7)});
    ASSERT_TRUE(test::wait_until([&] { return store->count() == 5; }));
    retention.stop();
    EXPECT_EQ(captured.count("info", "deleted 12000 records older than 7 days"), 1u);
}

TEST(ActivityRetention, RunsAgainEveryInterval) {
    auto store = std::make_shared<test::FakeStore>();
    ActivityRetention retention(store, nullptr, RetentionLimits{.max_age = days(7)},
                                RetentionSchedule{.age_interval = 20ms, .size_interval = 1h});
    std::this_thread::sleep_for(50ms);
    const std::vector<ActivityRecord> expired = aged(0, 3, days(30));
    store->insert_batch(expired);
    EXPECT_TRUE(test::wait_until([&] { return store->count() == 0; }, 2s));
}

TEST(ActivityRetention, AFailingPruneIsLoggedOnceAndRetried) {
    class FailingPruneStore final : public test::FakeStore {
    public:
        std::uint64_t prune(system_clock::time_point older_than, std::uint64_t max) override {
            ++calls;
            if (failing) throw StoreError(StoreErrorKind::full, 13, "database or disk is full");
            return FakeStore::prune(older_than, max);
        }
        std::atomic<bool> failing{true};
        std::atomic<int> calls{0};
    };
    auto store = std::make_shared<FailingPruneStore>();
    store->insert_batch(aged(0, 2, days(30)));
    test::CapturedLog captured;
    ActivityRetention retention(store, captured.logger, RetentionLimits{.max_age = days(7)},
                                RetentionSchedule{.age_interval = 10ms, .size_interval = 10ms});
    ASSERT_TRUE(test::wait_until([&] { return store->calls >= 5; }));
    EXPECT_EQ(captured.count("warning", "retention failed"), 1u);
    store->failing = false;
    ASSERT_TRUE(test::wait_until([&] { return store->count() == 0; }));
    retention.stop();
    EXPECT_EQ(captured.count("info", "retention works again"), 1u);
}

}  // namespace
}  // namespace mcpproxy::activity
