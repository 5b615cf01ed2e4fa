#pragma once

#include <spdlog/logger.h>

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "kernel/activity/activity_record.hpp"
#include "kernel/activity/activity_store.hpp"

namespace mcpproxy::activity {

class ActivityRetention;

struct ActivityLogOptions {
    // Records not yet stored (queued, or kept after a failed write). Beyond this, record() drops.
    std::size_t queue_capacity = 65'536;
    // The writer wakes early once this many records are queued...
    std::size_t flush_threshold = 512;
    // ...and at the latest after this long, which bounds what a crash can lose.
    std::chrono::milliseconds flush_interval{200};
    // Records per transaction.
    std::size_t max_batch = 4096;
    // After a failed write, wait this long before retrying, doubling up to retry_max.
    std::chrono::milliseconds retry_initial{200};
    std::chrono::milliseconds retry_max{5000};
    // Drops are reported in the log at most this often.
    std::chrono::milliseconds drop_warning_interval{std::chrono::seconds(10)};
    // Records older than this are deleted at start and every prune_interval; zero keeps all.
    std::chrono::milliseconds retention{std::chrono::days(90)};
    std::chrono::milliseconds prune_interval{std::chrono::hours(1)};
    // While the store holds more than this (StoreUsage::bytes), the oldest records are deleted
    // until it holds 90 % of it; zero: no cap. Checked at start, every size_check_interval and
    // after every size_check_records stored records.
    std::uint64_t max_size = 1'000'000'000;
    std::chrono::milliseconds size_check_interval{std::chrono::seconds(30)};
    std::size_t size_check_records = 20'000;
};

struct ActivityHealth {
    bool ok = true;             // false while the store refuses writes
    std::string last_error{};   // why, while not ok
    std::size_t pending = 0;    // records accepted but not yet stored
    std::uint64_t dropped = 0;  // records lost: queue full, after stop(), or rejected by the store
    std::uint64_t written = 0;  // records stored since start
};

// The writer used on the request path. record() only appends to a bounded in-memory queue; a
// background thread stores batches. When the store fails (disk full, read-only, I/O error, locked)
// records stay queued and writes are retried with back-off, so serving goes on and the log
// catches up by itself once the store is writable again.
class ActivityLog {
public:
    // A null logger logs nothing. Starts the writer and the pruner. Throws std::invalid_argument
    // for options that make no sense (zero batch, capacity, ...).
    ActivityLog(std::shared_ptr<ActivityStore> store, std::shared_ptr<spdlog::logger> logger,
                ActivityLogOptions options = {});
    ~ActivityLog();
    ActivityLog(const ActivityLog&) = delete;
    ActivityLog& operator=(const ActivityLog&) = delete;

    // Never blocks on I/O. Drops the record (and counts it) when the queue is full or after stop().
    void record(ActivityRecord record) noexcept;
    // Stores everything queued when called, ignoring any retry back-off. True when all of it was
    // stored; false when the store failed (the records stay queued).
    bool flush();
    // Stops accepting records, stores what is queued and joins the threads. Idempotent.
    void stop();

    ActivityHealth health() const;
    // Applies a new retention and size cap (config reload); the pruner acts on them at once.
    // Throws std::invalid_argument for a negative retention.
    void set_limits(std::chrono::milliseconds retention, std::uint64_t max_size);

private:
    enum class DrainMode { scheduled, forced };

    void run();
    bool drain(DrainMode mode);
    bool store_batch(std::vector<ActivityRecord>& batch);
    void store_one_by_one(std::vector<ActivityRecord>& batch);
    void note_written(std::size_t count);
    void note_failure(const std::string& message);
    void note_rejected(const ActivityRecord& record, const std::string& message);
    void report_drops(bool final_report);
    bool backing_off() const;  // mutex_ held

    std::shared_ptr<ActivityStore> store_;
    std::shared_ptr<spdlog::logger> logger_;
    const ActivityLogOptions options_;

    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<ActivityRecord> queue_;
    std::size_t in_flight_ = 0;
    bool accepting_ = true;
    bool stopping_ = false;
    std::uint64_t dropped_full_ = 0;
    std::uint64_t rejected_ = 0;
    std::uint64_t written_ = 0;
    std::uint64_t written_at_size_check_ = 0;
    bool failing_ = false;
    std::string last_error_{};
    std::chrono::milliseconds backoff_{0};
    std::chrono::steady_clock::time_point retry_at_{};

    // One drain at a time (writer thread or flush()), so records reach the store in order.
    std::mutex drain_mutex_;

    // Writer thread only.
    std::uint64_t drops_reported_ = 0;
    std::chrono::steady_clock::time_point last_drop_report_{};

    std::once_flag stop_once_;
    std::unique_ptr<ActivityRetention> retention_;
    std::thread writer_;
};

}  // namespace mcpproxy::activity
