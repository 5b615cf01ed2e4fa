#include "view_refresher.hpp"

#include <sys/stat.h>

namespace mcpproxy::agent_token {

ViewRefresher::ViewRefresher(std::filesystem::path data_dir, TokenView& view, UsageTracker& usage,
                             sdk::Logger& logger, RefresherOptions options)
    : data_dir_(std::move(data_dir)),
      view_(view),
      usage_(usage),
      logger_(logger),
      options_(options) {}

ViewRefresher::~ViewRefresher() {
    stop();
}

void ViewRefresher::start() {
    if (thread_.joinable()) return;
    open_and_load();
    {
        std::lock_guard lock(mutex_);
        stopping_ = false;
        health_ = {true, {}, std::chrono::steady_clock::now()};
    }
    thread_ = std::thread([this] { run(); });
    std::lock_guard lock(mutex_);
    running_ = true;
}

void ViewRefresher::stop() noexcept {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
        running_ = false;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
    flush_usage();
}

RefresherHealth ViewRefresher::health() const {
    std::lock_guard lock(mutex_);
    return health_;
}

void ViewRefresher::open_and_load() {
    store_.reset();
    store_ = std::make_unique<TokenStore>(data_dir_, options_.busy_timeout);
    struct stat st {};
    if (::stat(store_->file().c_str(), &st) == 0) {
        device_ = st.st_dev;
        inode_ = st.st_ino;
    }
    // Read the version before the rows: a commit in between shows up as a change next poll.
    data_version_ = store_->data_version();
    view_.apply(store_->changes_since(0));
}

bool ViewRefresher::file_was_replaced() const {
    struct stat st {};
    if (::stat(store_->file().c_str(), &st) != 0) return true;
    return st.st_dev != device_ || st.st_ino != inode_;
}

void ViewRefresher::poll() {
    if (!store_ || file_was_replaced()) {
        logger_.warn("tokens.db was replaced or removed; reloading the token store from " +
                     data_dir_.string());
        open_and_load();
        return;
    }
    const auto version = store_->data_version();
    if (version == data_version_) return;
    const auto changes = store_->changes_since(view_.revision());
    data_version_ = version;
    view_.apply(changes);
    if (logger_.enabled(sdk::LogLevel::debug) &&
        (changes.full || !changes.rows.empty() || !changes.deleted_ids.empty())) {
        logger_.debug("token store revision " + std::to_string(changes.revision) + ": " +
                      std::to_string(changes.rows.size()) + " changed, " +
                      std::to_string(changes.deleted_ids.size()) + " deleted" +
                      (changes.full ? " (full reload)" : ""));
    }
}

void ViewRefresher::flush_usage() noexcept {
    if (!store_) return;
    auto uses = usage_.drain();
    if (uses.empty()) return;
    try {
        store_->record_last_used(uses);
        if (usage_write_failing_) logger_.info("token last-used times are written again");
        usage_write_failing_ = false;
    } catch (const std::exception& e) {
        // Last-used is informational: put the stamps back and try again next time.
        for (const auto& [id, at] : uses) usage_.record(id, at);
        if (!usage_write_failing_) {
            logger_.warn(std::string("cannot record token last-used times in tokens.db (will "
                                     "retry; authentication is not affected): ") +
                         e.what());
        }
        usage_write_failing_ = true;
    }
}

void ViewRefresher::set_health(bool ok, const std::string& error) {
    bool was_ok = false;
    {
        std::lock_guard lock(mutex_);
        was_ok = health_.ok;
        health_.ok = ok;
        if (ok) {
            health_.error.clear();
            health_.last_success = std::chrono::steady_clock::now();
        } else {
            health_.error = error;
        }
    }
    if (was_ok && !ok) logger_.error("cannot refresh agent tokens from tokens.db: " + error);
    if (!was_ok && ok) logger_.info("agent token store readable again");
}

void ViewRefresher::run() {
    auto next_flush = std::chrono::steady_clock::now() + options_.flush_interval;
    std::unique_lock lock(mutex_);
    while (!stopping_) {
        wake_.wait_for(lock, options_.poll_interval,
                       [this] { return stopping_ || poll_requested_; });
        if (stopping_) break;
        poll_requested_ = false;
        ++polls_started_;
        lock.unlock();
        try {
            poll();
            set_health(true, {});
        } catch (const std::exception& e) {
            set_health(false, e.what());
        }
        if (std::chrono::steady_clock::now() >= next_flush) {
            flush_usage();
            next_flush = std::chrono::steady_clock::now() + options_.flush_interval;
        }
        lock.lock();
        ++polls_done_;
        polled_.notify_all();
    }
    polled_.notify_all();
}

void ViewRefresher::refresh_now(std::chrono::milliseconds limit) {
    std::unique_lock lock(mutex_);
    if (!running_) return;
    // The next poll to start is the first one sure to see what was written before this call.
    const auto wanted = polls_started_ + 1;
    poll_requested_ = true;
    wake_.notify_all();
    polled_.wait_for(lock, limit, [&] { return stopping_ || polls_done_ >= wanted; });
}

}  // namespace mcpproxy::agent_token
