#include "kernel/activity/activity_retention.hpp"

#include <algorithm>
#include <exception>
#include <functional>

#include "kernel/activity/logger_or_silent.hpp"
#include "kernel/util/byte_size.hpp"
#include "kernel/util/duration.hpp"
#include "kernel/util/thread_name.hpp"

namespace mcpproxy::activity {
namespace {

using SteadyClock = std::chrono::steady_clock;

// Small enough that the writer never waits long for the write lock.
constexpr std::uint64_t kPruneStep = 5000;

// "7 days", "12 hours", "90 minutes": the unit the operator most likely wrote.
std::string describe(std::chrono::milliseconds age) {
    const auto whole = util::whole_units(age);
    return std::to_string(whole.count) + " " + std::string(whole.word) +
           (whole.count == 1 ? "" : "s");
}

}  // namespace

ActivityRetention::ActivityRetention(std::shared_ptr<ActivityStore> store,
                                     std::shared_ptr<spdlog::logger> logger, RetentionLimits limits,
                                     RetentionSchedule schedule)
    : store_(std::move(store)),
      logger_(logger_or_silent(std::move(logger))),
      schedule_(schedule),
      limits_(limits) {
    thread_ = std::thread([this] {
        util::name_this_thread("mcpproxy-prune");
        run();
    });
}

ActivityRetention::~ActivityRetention() {
    stop();
}

void ActivityRetention::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
}

void ActivityRetention::set_limits(RetentionLimits limits) {
    {
        std::lock_guard lock(mutex_);
        limits_ = limits;
        limits_changed_ = true;
    }
    wake_.notify_all();
}

RetentionLimits ActivityRetention::limits() const {
    std::lock_guard lock(mutex_);
    return limits_;
}

void ActivityRetention::check_size_soon() {
    {
        std::lock_guard lock(mutex_);
        if (limits_.max_bytes == 0 || size_check_asked_) return;
        size_check_asked_ = true;
    }
    wake_.notify_all();
}

std::optional<std::uint64_t> ActivityRetention::prune_once() {
    const RetentionLimits limits = this->limits();
    return guarded([&] { return prune_by_age(limits.max_age) + prune_by_size(limits.max_bytes); });
}

std::optional<std::uint64_t> ActivityRetention::enforce_size_cap() {
    const RetentionLimits limits = this->limits();
    return guarded([&] { return prune_by_size(limits.max_bytes); });
}

std::optional<std::uint64_t> ActivityRetention::guarded(
    const std::function<std::uint64_t()>& prune) {
    std::lock_guard prune_lock(prune_mutex_);
    try {
        const std::uint64_t deleted = prune();
        if (!last_error_.empty()) {
            logger_->info("activity log retention works again");
            last_error_.clear();
        }
        return deleted;
    } catch (const std::exception& e) {
        if (last_error_ != e.what()) {
            const auto retry = std::min(schedule_.age_interval, schedule_.size_interval);
            logger_->warn("activity log retention failed, retrying in {} s: {}",
                          std::chrono::duration_cast<std::chrono::seconds>(retry).count(),
                          e.what());
            last_error_ = e.what();
        }
        return std::nullopt;
    }
}

std::uint64_t ActivityRetention::prune_by_age(std::chrono::milliseconds max_age) {
    if (max_age.count() <= 0) return 0;
    const auto cutoff = std::chrono::system_clock::now() - max_age;
    std::uint64_t deleted = 0;
    for (;;) {
        const std::uint64_t step = store_->prune(cutoff, kPruneStep);
        deleted += step;
        if (step < kPruneStep || stopping()) break;
    }
    if (deleted > 0) {
        logger_->info("activity log retention deleted {} records older than {}", deleted,
                      describe(max_age));
    }
    return deleted;
}

std::uint64_t ActivityRetention::prune_by_size(std::uint64_t max_bytes) {
    if (max_bytes == 0) return 0;
    auto usage = store_->usage();
    if (!usage || usage->bytes <= max_bytes) return 0;
    const auto before = usage->bytes;
    const auto target = static_cast<std::uint64_t>(static_cast<double>(max_bytes) * kSizeTarget);
    std::uint64_t deleted = 0;
    while (usage && usage->bytes > target && usage->records > 0 && !stopping()) {
        // Delete about what the excess holds (bytes per record includes the schema's few fixed
        // pages, so this errs on the small side) and measure again: pages free up unevenly.
        const std::uint64_t per_record = std::max<std::uint64_t>(1, usage->bytes / usage->records);
        const std::uint64_t excess = usage->bytes - target;
        const std::uint64_t step =
            std::clamp<std::uint64_t>((excess + per_record - 1) / per_record, 1, kPruneStep);
        const std::uint64_t done = store_->prune_oldest(step);
        deleted += done;
        if (done == 0) break;
        usage = store_->usage();
    }
    if (deleted > 0) {
        logger_->info("activity log over its size cap ({}): deleted {} oldest records ({} -> {})",
                      util::format_byte_size(max_bytes), deleted, util::format_byte_size(before),
                      util::format_byte_size(usage ? usage->bytes : 0));
    }
    return deleted;
}

bool ActivityRetention::stopping() const {
    std::lock_guard lock(mutex_);
    return stopping_;
}

void ActivityRetention::run() {
    auto next_age = SteadyClock::now();
    auto next_size = next_age;
    std::unique_lock lock(mutex_);
    while (!stopping_) {
        const auto now = SteadyClock::now();
        const bool age_due = now >= next_age || limits_changed_;
        const bool size_due = age_due || now >= next_size || size_check_asked_;
        if (!size_due) {
            wake_.wait_until(lock, std::min(next_age, next_size),
                             [this] { return stopping_ || size_check_asked_ || limits_changed_; });
            continue;
        }
        limits_changed_ = false;
        size_check_asked_ = false;
        const RetentionLimits limits = limits_;
        lock.unlock();
        const bool ok = guarded([&] {
                            return (age_due ? prune_by_age(limits.max_age) : 0) +
                                   prune_by_size(limits.max_bytes);
                        }).has_value();
        // After a failure the age prune goes along with every size check until it works, so
        // "works again" is only logged once both do.
        if (age_due || !ok) {
            next_age = now + (ok ? schedule_.age_interval
                                 : std::min(schedule_.age_interval, schedule_.size_interval));
        }
        next_size = SteadyClock::now() + schedule_.size_interval;
        lock.lock();
    }
}

}  // namespace mcpproxy::activity
