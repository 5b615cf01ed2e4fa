#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <set>

namespace mcpproxy::net {

// The open connections of one listener, so that shutdown can close idle ones at once and the rest
// once their requests have finished (or the shutdown timeout has passed).
class ConnectionRegistry {
public:
    struct Entry {
        std::function<void()> close;  // thread-safe: posts the close to the connection's strand
        std::atomic<bool> busy{false};
    };

    std::shared_ptr<Entry> add(std::function<void()> close);
    void remove(const std::shared_ptr<Entry>& entry);
    [[nodiscard]] std::size_t size() const;
    [[nodiscard]] std::size_t busy_count() const;
    [[nodiscard]] bool stopping() const { return stopping_.load(std::memory_order_acquire); }

    // From now on connections close after their current response; idle ones close at once.
    void begin_shutdown();
    void close_all();

private:
    mutable std::mutex mutex_;
    std::set<std::shared_ptr<Entry>> entries_;
    std::atomic<bool> stopping_{false};
};

}  // namespace mcpproxy::net
