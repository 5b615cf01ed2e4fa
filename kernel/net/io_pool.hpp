#pragma once

#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstddef>
#include <memory>
#include <thread>
#include <vector>

namespace mcpproxy::net {

// One io_context per I/O thread. A connection or an upstream is placed on one context and stays
// there, so its handlers never hop threads: a request whose connection and upstream share a
// thread is served without a single cross-thread wake-up, and no context's queue is contended by
// two threads. Context 0 (main()) also runs the process-wide work: signals, timers, reloads.
class IoPool {
public:
    // threads: 0 is taken as 1. busy_poll: how long an idle thread polls before it sleeps
    // (run_polling); zero: it sleeps at once.
    explicit IoPool(unsigned threads,
                    std::chrono::microseconds busy_poll = std::chrono::microseconds(0));
    ~IoPool();
    IoPool(const IoPool&) = delete;
    IoPool& operator=(const IoPool&) = delete;

    [[nodiscard]] boost::asio::io_context& main() { return *contexts_.front(); }
    [[nodiscard]] std::size_t size() const { return contexts_.size(); }
    [[nodiscard]] boost::asio::io_context& at(std::size_t index) { return *contexts_.at(index); }

    // The context a new connection should live on: the one with the fewest open connections,
    // the lowest index on a tie (a lone client shares the thread of the first upstream).
    [[nodiscard]] std::size_t least_loaded() const;
    void connection_opened(std::size_t index);
    void connection_closed(std::size_t index);
    [[nodiscard]] std::size_t open_connections(std::size_t index) const;
    // Upstreams are spread round-robin, the first one on main().
    [[nodiscard]] boost::asio::io_context& next_for_upstream();

    void start();  // one thread per context
    void stop();   // every context; idempotent
    void join();

private:
    // An io_context whose services can be shut down ahead of its destruction.
    class Context : public boost::asio::io_context {
    public:
        using io_context::io_context;
        void shut_down() { shutdown(); }
    };
    using WorkGuard = boost::asio::executor_work_guard<boost::asio::io_context::executor_type>;
    std::vector<std::unique_ptr<Context>> contexts_;
    std::vector<WorkGuard> guards_;
    std::vector<std::atomic<std::size_t>> connections_;  // open connections per context
    std::atomic<std::size_t> next_upstream_{0};
    std::chrono::microseconds busy_poll_;
    std::vector<std::thread> threads_;
};

}  // namespace mcpproxy::net
