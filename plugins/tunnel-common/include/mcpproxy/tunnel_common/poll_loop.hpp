#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace mcpproxy::tunnel_common {

// A thread that calls tick() at once and then every interval until stop(). stop() wakes the wait
// at once and joins (a tick in progress finishes first, so keep ticks short: use request
// timeouts). Exceptions from tick() are swallowed so the loop keeps polling. Not restartable
// while running; start() after stop() starts a new thread.
class PollLoop {
public:
    PollLoop() = default;
    ~PollLoop() { stop(); }
    PollLoop(const PollLoop&) = delete;
    PollLoop& operator=(const PollLoop&) = delete;

    void start(std::chrono::milliseconds interval, std::function<void()> tick);
    void stop() noexcept;
    // Makes the next tick happen now instead of after the interval.
    void poke();
    [[nodiscard]] bool running() const;

private:
    void run();

    mutable std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    bool poked_ = false;
    std::chrono::milliseconds interval_{1000};
    std::function<void()> tick_;
    std::thread thread_;
};

}  // namespace mcpproxy::tunnel_common
