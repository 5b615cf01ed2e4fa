#include "kernel/activity/activity_retention.hpp"

#include <exception>

#include "kernel/activity/logger_or_silent.hpp"

namespace mcpproxy::activity {
namespace {

// Small enough that the writer never waits long for the write lock.
constexpr std::uint64_t kPruneStep = 5000;

}  // namespace

ActivityRetention::ActivityRetention(std::shared_ptr<ActivityStore> store,
                                     std::shared_ptr<spdlog::logger> logger, std::chrono::days keep,
                                     std::chrono::milliseconds interval)
    : store_(std::move(store)),
      logger_(logger_or_silent(std::move(logger))),
      keep_(keep),
      interval_(interval) {
    thread_ = std::thread([this] { run(); });
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

std::optional<std::uint64_t> ActivityRetention::prune_once() {
    std::lock_guard prune_lock(prune_mutex_);
    const auto cutoff = std::chrono::system_clock::now() - keep_;
    try {
        std::uint64_t deleted = 0;
        for (;;) {
            const std::uint64_t step = store_->prune(cutoff, kPruneStep);
            deleted += step;
            if (step < kPruneStep || stopping()) break;
        }
        if (!last_error_.empty()) {
            logger_->info("activity log retention works again");
            last_error_.clear();
        }
        if (deleted > 0) {
            logger_->info("activity log retention deleted {} records older than {} days", deleted,
                          keep_.count());
        }
        return deleted;
    } catch (const std::exception& e) {
        if (last_error_ != e.what()) {
            logger_->warn("activity log retention failed, retrying in {} s: {}",
                          std::chrono::duration_cast<std::chrono::seconds>(interval_).count(),
                          e.what());
            last_error_ = e.what();
        }
        return std::nullopt;
    }
}

bool ActivityRetention::stopping() {
    std::lock_guard lock(mutex_);
    return stopping_;
}

void ActivityRetention::run() {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
        lock.unlock();
        prune_once();
        lock.lock();
        wake_.wait_for(lock, interval_, [this] { return stopping_; });
    }
}

}  // namespace mcpproxy::activity
