#include "mcpproxy/tunnel_common/poll_loop.hpp"

namespace mcpproxy::tunnel_common {

void PollLoop::start(std::chrono::milliseconds interval, std::function<void()> tick) {
    stop();
    std::lock_guard lock(mutex_);
    interval_ = interval;
    tick_ = std::move(tick);
    stopping_ = false;
    poked_ = false;
    thread_ = std::thread([this] { run(); });
}

void PollLoop::stop() noexcept {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id()) thread_.join();
}

void PollLoop::poke() {
    {
        std::lock_guard lock(mutex_);
        poked_ = true;
    }
    wake_.notify_all();
}

bool PollLoop::running() const {
    std::lock_guard lock(mutex_);
    return thread_.joinable() && !stopping_;
}

void PollLoop::run() {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
        poked_ = false;
        lock.unlock();
        try {
            tick_();
        } catch (...) {
        }
        lock.lock();
        wake_.wait_for(lock, interval_, [this] { return stopping_ || poked_; });
    }
}

}  // namespace mcpproxy::tunnel_common
