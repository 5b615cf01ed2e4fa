#pragma once

#include <sys/types.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "mcpproxy/sdk/logger.hpp"
#include "token_store.hpp"
#include "token_view.hpp"
#include "usage_tracker.hpp"

namespace mcpproxy::agent_token {

struct RefresherOptions {
    std::chrono::milliseconds poll_interval{200};
    std::chrono::milliseconds flush_interval{5'000};
    std::chrono::milliseconds busy_timeout{5'000};
};

struct RefresherHealth {
    bool ok = true;
    std::string error;  // the last refresh failure while !ok
    std::chrono::steady_clock::time_point last_success{};
};

// Keeps a TokenView in step with tokens.db from a background thread: polls PRAGMA data_version
// every poll_interval and applies only rows whose revision moved; reopens the file if it was
// replaced; writes batched last-used stamps every flush_interval and on stop.
class ViewRefresher {
public:
    ViewRefresher(std::filesystem::path data_dir, TokenView& view, UsageTracker& usage,
                  sdk::Logger& logger, RefresherOptions options);
    ~ViewRefresher();
    ViewRefresher(const ViewRefresher&) = delete;
    ViewRefresher& operator=(const ViewRefresher&) = delete;

    // Loads the whole store into the view (throws when it cannot) and starts the thread.
    void start();
    void stop() noexcept;

    [[nodiscard]] RefresherHealth health() const;

    // Polls the store now instead of at the next interval and waits (at most limit) until that
    // poll is done, so a change this process just wrote is seen by the next request.
    void refresh_now(std::chrono::milliseconds limit = std::chrono::seconds(1));

private:
    void run();
    void open_and_load();
    void poll();
    void flush_usage() noexcept;
    [[nodiscard]] bool file_was_replaced() const;
    void set_health(bool ok, const std::string& error);

    std::filesystem::path data_dir_;
    TokenView& view_;
    UsageTracker& usage_;
    sdk::Logger& logger_;
    RefresherOptions options_;

    std::unique_ptr<TokenStore> store_;  // used by the thread only (and by start/stop around it)
    std::int64_t data_version_ = -1;
    dev_t device_ = 0;
    ino_t inode_ = 0;
    bool usage_write_failing_ = false;  // thread only: log a failing store once, not every flush

    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::condition_variable polled_;
    bool stopping_ = false;
    bool running_ = false;  // the poll thread runs (thread_ itself is not read under mutex_)
    bool poll_requested_ = false;
    std::uint64_t polls_started_ = 0;
    std::uint64_t polls_done_ = 0;
    RefresherHealth health_;
    std::thread thread_;
};

}  // namespace mcpproxy::agent_token
