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

// Deletes records older than the retention period: once at start, then every `interval`, on its
// own thread so a large prune never delays the writer.
class ActivityRetention {
public:
    // A null logger logs nothing.
    ActivityRetention(std::shared_ptr<ActivityStore> store, std::shared_ptr<spdlog::logger> logger,
                      std::chrono::days keep, std::chrono::milliseconds interval);
    ~ActivityRetention();
    ActivityRetention(const ActivityRetention&) = delete;
    ActivityRetention& operator=(const ActivityRetention&) = delete;

    void stop();
    // Deletes in bounded steps until nothing is left to delete or stop() is called. Returns how
    // many records were deleted, or nullopt when the store failed (logged once per change of
    // state).
    std::optional<std::uint64_t> prune_once();

private:
    void run();
    bool stopping();

    std::shared_ptr<ActivityStore> store_;
    std::shared_ptr<spdlog::logger> logger_;
    const std::chrono::days keep_;
    const std::chrono::milliseconds interval_;

    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::string last_error_;  // only touched by prune_once callers, one at a time
    std::mutex prune_mutex_;
    std::thread thread_;
};

}  // namespace mcpproxy::activity
