#pragma once

#include <spdlog/logger.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "kernel/activity/activity_store.hpp"

namespace mcpproxy::activity {

// What the store may keep. Zero means no limit.
struct RetentionLimits {
    std::chrono::milliseconds max_age{0};
    std::uint64_t max_bytes = 0;  // StoreUsage::bytes
};

struct RetentionSchedule {
    std::chrono::milliseconds age_interval{std::chrono::hours(1)};
    // Cheap (two PRAGMAs and two index lookups), so it runs far more often than the age prune.
    std::chrono::milliseconds size_interval{std::chrono::seconds(30)};
};

// Keeps the store within its limits on its own thread, so a large prune never delays the writer:
// deletes records older than max_age (at start, then every age_interval) and, while the store
// is over max_bytes, the oldest records until it is under 90 % of it (checked at start, every
// size_interval and when check_size_soon() is called). Deletion goes in bounded steps, oldest
// first, each step a transaction: a record is never deleted while an older one is kept.
class ActivityRetention {
public:
    // The share of max_bytes a size prune brings the store down to, so that it does not run
    // again after every few inserts.
    static constexpr double kSizeTarget = 0.9;

    // A null logger logs nothing.
    ActivityRetention(std::shared_ptr<ActivityStore> store, std::shared_ptr<spdlog::logger> logger,
                      RetentionLimits limits, RetentionSchedule schedule = {});
    ~ActivityRetention();
    ActivityRetention(const ActivityRetention&) = delete;
    ActivityRetention& operator=(const ActivityRetention&) = delete;

    void stop();
    // New limits apply at once (a config reload): the thread wakes and prunes by both.
    void set_limits(RetentionLimits limits);
    RetentionLimits limits() const;
    // Asks for a size check without waiting for size_interval (the writer calls this after
    // storing many records). Never blocks on the store.
    void check_size_soon();

    // Prunes by age, then by size. Returns how many records were deleted, or nullopt when the
    // store failed (logged once per change of state).
    std::optional<std::uint64_t> prune_once();
    // The size part of prune_once() alone.
    std::optional<std::uint64_t> enforce_size_cap();

private:
    enum class Work { none, size, all };

    void run();
    bool stopping() const;
    std::uint64_t prune_by_age(std::chrono::milliseconds max_age);
    std::uint64_t prune_by_size(std::uint64_t max_bytes);
    std::optional<std::uint64_t> guarded(const std::function<std::uint64_t()>& prune);

    std::shared_ptr<ActivityStore> store_;
    std::shared_ptr<spdlog::logger> logger_;
    const RetentionSchedule schedule_;

    mutable std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    bool size_check_asked_ = false;
    bool limits_changed_ = false;
    RetentionLimits limits_;

    std::string last_error_;  // only touched by prune callers, one at a time
    std::mutex prune_mutex_;
    std::thread thread_;
};

}  // namespace mcpproxy::activity
