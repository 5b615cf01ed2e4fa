#include "kernel/activity/activity_log.hpp"

#include <algorithm>
#include <exception>
#include <iterator>
#include <span>
#include <stdexcept>
#include <string>

#include "kernel/activity/activity_retention.hpp"
#include "kernel/activity/logger_or_silent.hpp"
#include "kernel/activity/store_error.hpp"
#include "kernel/util/thread_name.hpp"

namespace mcpproxy::activity {
namespace {

using SteadyClock = std::chrono::steady_clock;

const ActivityLogOptions& validated(const ActivityLogOptions& options) {
    const auto require = [](bool ok, const char* what) {
        if (!ok) throw std::invalid_argument(std::string("activity log: ") + what);
    };
    require(options.queue_capacity > 0, "queue_capacity must be at least 1");
    require(options.flush_threshold > 0, "flush_threshold must be at least 1");
    require(options.max_batch > 0, "max_batch must be at least 1");
    require(options.flush_interval.count() > 0, "flush_interval must be positive");
    require(options.retry_initial.count() > 0, "retry_initial must be positive");
    require(options.retry_max >= options.retry_initial, "retry_max must be >= retry_initial");
    require(options.retention.count() >= 0, "retention must not be negative");
    require(options.prune_interval.count() > 0, "prune_interval must be positive");
    require(options.size_check_interval.count() > 0, "size_check_interval must be positive");
    require(options.size_check_records > 0, "size_check_records must be at least 1");
    return options;
}

}  // namespace

ActivityLog::ActivityLog(std::shared_ptr<ActivityStore> store,
                         std::shared_ptr<spdlog::logger> logger, ActivityLogOptions options)
    : store_(std::move(store)),
      logger_(logger_or_silent(std::move(logger))),
      options_(validated(options)) {
    // Started even with no limits, so that a config reload can set some.
    retention_ = std::make_unique<ActivityRetention>(
        store_, logger_,
        RetentionLimits{.max_age = options_.retention, .max_bytes = options_.max_size},
        RetentionSchedule{.age_interval = options_.prune_interval,
                          .size_interval = options_.size_check_interval});
    writer_ = std::thread([this] {
        util::name_this_thread("mcpproxy-log");
        run();
    });
}

ActivityLog::~ActivityLog() {
    stop();
}

void ActivityLog::record(ActivityRecord record) noexcept {
    bool wake_writer = false;
    {
        std::lock_guard lock(mutex_);
        if (!accepting_ || queue_.size() + in_flight_ >= options_.queue_capacity) {
            ++dropped_full_;
            return;
        }
        try {
            queue_.push_back(std::move(record));
        } catch (...) {
            ++dropped_full_;
            return;
        }
        wake_writer = queue_.size() == options_.flush_threshold;
    }
    if (wake_writer) wake_.notify_one();
}

bool ActivityLog::flush() {
    return drain(DrainMode::forced);
}

void ActivityLog::set_limits(std::chrono::milliseconds retention, std::uint64_t max_size) {
    if (retention.count() < 0) {
        throw std::invalid_argument("activity log: retention must not be negative");
    }
    retention_->set_limits(RetentionLimits{.max_age = retention, .max_bytes = max_size});
}

void ActivityLog::stop() {
    std::call_once(stop_once_, [this] {
        retention_->stop();
        {
            std::lock_guard lock(mutex_);
            accepting_ = false;
            stopping_ = true;
        }
        wake_.notify_all();
        if (writer_.joinable()) writer_.join();
    });
}

ActivityHealth ActivityLog::health() const {
    std::lock_guard lock(mutex_);
    return ActivityHealth{.ok = !failing_,
                          .last_error = last_error_,
                          .pending = queue_.size() + in_flight_,
                          .dropped = dropped_full_ + rejected_,
                          .written = written_};
}

bool ActivityLog::backing_off() const {
    return failing_ && SteadyClock::now() < retry_at_;
}

void ActivityLog::run() {
    for (;;) {
        {
            std::unique_lock lock(mutex_);
            wake_.wait_for(lock, options_.flush_interval, [this] {
                return stopping_ || (queue_.size() >= options_.flush_threshold && !backing_off());
            });
            if (stopping_) break;
        }
        drain(DrainMode::scheduled);
        report_drops(false);
    }
    if (!drain(DrainMode::forced)) {
        const auto state = health();
        logger_->error("activity log stopped with {} records that could not be stored: {}",
                       state.pending, state.last_error);
    }
    report_drops(true);
}

bool ActivityLog::drain(DrainMode mode) {
    std::lock_guard drain_lock(drain_mutex_);
    std::size_t budget = 0;  // only what is queued now, so a busy producer cannot keep us here
    {
        std::lock_guard lock(mutex_);
        budget = queue_.size();
    }
    while (budget > 0) {
        std::vector<ActivityRecord> batch;
        {
            std::lock_guard lock(mutex_);
            if (queue_.empty()) break;
            if (mode == DrainMode::scheduled && backing_off()) return false;
            const std::size_t n = std::min({queue_.size(), options_.max_batch, budget});
            batch.reserve(n);
            const auto end = queue_.begin() + static_cast<std::ptrdiff_t>(n);
            std::move(queue_.begin(), end, std::back_inserter(batch));
            queue_.erase(queue_.begin(), end);
            in_flight_ = n;
        }
        budget -= batch.size();
        const bool stored = store_batch(batch);
        std::lock_guard lock(mutex_);
        // Whatever the store did not take goes back to the front, keeping the original order.
        queue_.insert(queue_.begin(), std::make_move_iterator(batch.begin()),
                      std::make_move_iterator(batch.end()));
        in_flight_ = 0;
        if (!stored) return false;
    }
    return true;
}

// Returns true when nothing is left in `batch`; otherwise `batch` holds the records to retry.
bool ActivityLog::store_batch(std::vector<ActivityRecord>& batch) {
    try {
        store_->insert_batch(batch);
        note_written(batch.size());
        batch.clear();
        return true;
    } catch (const StoreError& e) {
        if (!e.record_specific()) {
            note_failure(e.what());
            return false;
        }
    } catch (const std::exception& e) {
        note_failure(e.what());
        return false;
    }
    // A record the store can never take must not hold back the rest: find it by storing the
    // batch one record at a time.
    store_one_by_one(batch);
    return batch.empty();
}

void ActivityLog::store_one_by_one(std::vector<ActivityRecord>& batch) {
    std::size_t done = 0;
    for (; done < batch.size(); ++done) {
        try {
            store_->insert_batch(std::span<const ActivityRecord>(&batch[done], 1));
            note_written(1);
        } catch (const StoreError& e) {
            if (!e.record_specific()) {
                note_failure(e.what());
                break;
            }
            note_rejected(batch[done], e.what());
        } catch (const std::exception& e) {
            note_failure(e.what());
            break;
        }
    }
    batch.erase(batch.begin(), batch.begin() + static_cast<std::ptrdiff_t>(done));
}

void ActivityLog::note_written(std::size_t count) {
    bool recovered = false;
    bool check_size = false;
    {
        std::lock_guard lock(mutex_);
        written_ += count;
        // At thousands of records a second the size_check_interval alone would let the file
        // overshoot its cap by tens of MB.
        if (written_ - written_at_size_check_ >= options_.size_check_records) {
            written_at_size_check_ = written_;
            check_size = true;
        }
        recovered = failing_;
        failing_ = false;
        last_error_.clear();
        backoff_ = std::chrono::milliseconds(0);
    }
    if (check_size) retention_->check_size_soon();
    if (recovered) logger_->info("activity log store is writable again; catching up");
}

void ActivityLog::note_failure(const std::string& message) {
    bool changed = false;
    std::size_t pending = 0;
    std::chrono::milliseconds backoff{0};
    {
        std::lock_guard lock(mutex_);
        changed = !failing_ || last_error_ != message;
        failing_ = true;
        last_error_ = message;
        backoff_ = backoff_.count() == 0 ? options_.retry_initial
                                         : std::min(backoff_ * 2, options_.retry_max);
        backoff = backoff_;
        retry_at_ = SteadyClock::now() + backoff_;
        pending = queue_.size() + in_flight_;
    }
    if (changed) {
        logger_->error(
            "activity log cannot write to its store; keeping {} records in memory and retrying "
            "(next try in {} ms): {}",
            pending, backoff.count(), message);
    }
}

void ActivityLog::note_rejected(const ActivityRecord& record, const std::string& message) {
    {
        std::lock_guard lock(mutex_);
        ++rejected_;
    }
    logger_->debug("activity record {} rejected by the store: {}", record.request_id, message);
}

void ActivityLog::report_drops(bool final_report) {
    std::uint64_t full = 0;
    std::uint64_t rejected = 0;
    {
        std::lock_guard lock(mutex_);
        full = dropped_full_;
        rejected = rejected_;
    }
    const std::uint64_t total = full + rejected;
    if (total == drops_reported_) return;
    const auto now = SteadyClock::now();
    const bool reported_before = last_drop_report_ != SteadyClock::time_point{};
    if (!final_report && reported_before &&
        now - last_drop_report_ < options_.drop_warning_interval) {
        return;
    }
    logger_->warn(
        "activity log dropped {} records since the last report ({} in all: {} with the queue of "
        "{} full or after stop, {} rejected by the store)",
        total - drops_reported_, total, full, options_.queue_capacity, rejected);
    drops_reported_ = total;
    last_drop_report_ = now;
}

}  // namespace mcpproxy::activity
