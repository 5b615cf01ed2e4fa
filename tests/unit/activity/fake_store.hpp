#pragma once

#include <atomic>
#include <mutex>
#include <string>
#include <vector>

#include "kernel/activity/activity_store.hpp"
#include "kernel/activity/store_error.hpp"

namespace mcpproxy::activity::test {

// An in-memory store whose failures the test controls: it can refuse every write (like a store
// that is full or locked) or refuse any batch holding a record with a given request id (a record
// the store can never take), as a transactional store would.
class FakeStore : public ActivityStore {
public:
    void fail_with(StoreErrorKind kind);
    void heal();
    void reject_request_id(std::string request_id);
    // usage() reports this many bytes per record; 0 (the default): no usage, no size cap.
    void set_bytes_per_record(std::uint64_t bytes);

    void insert_batch(std::span<const ActivityRecord> records) override;
    void visit(const ActivityFilter& filter, const Visitor& visitor) override;
    std::uint64_t prune(std::chrono::system_clock::time_point older_than,
                        std::uint64_t max_records) override;
    std::uint64_t prune_oldest(std::uint64_t max_records) override;
    std::optional<StoreUsage> usage() override;
    std::uint64_t count() override;

    std::vector<ActivityRecord> stored() const;
    int insert_calls() const { return insert_calls_.load(); }

private:
    mutable std::mutex mutex_;
    bool failing_ = false;
    StoreErrorKind failure_ = StoreErrorKind::busy;
    std::string rejected_id_;
    std::vector<ActivityRecord> records_;
    std::uint64_t bytes_per_record_ = 0;
    std::atomic<int> insert_calls_{0};
};

}  // namespace mcpproxy::activity::test
