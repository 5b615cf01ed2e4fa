#include "kernel/net/io_pool.hpp"

#include <algorithm>
#include <string>

#include "kernel/net/run_polling.hpp"
#include "kernel/util/thread_name.hpp"

namespace mcpproxy::net {

IoPool::IoPool(unsigned threads, std::chrono::microseconds busy_poll)
    : connections_(std::max(1U, threads)), busy_poll_(busy_poll) {
    const unsigned n = std::max(1U, threads);
    contexts_.reserve(n);
    guards_.reserve(n);
    for (unsigned i = 0; i < n; ++i) {
        // Concurrency hint 1: each context is run by one thread (other threads still post to it).
        contexts_.push_back(std::make_unique<Context>(1));
        guards_.emplace_back(contexts_.back()->get_executor());
    }
}

IoPool::~IoPool() {
    stop();
    join();
    // Destroying a context destroys the handlers still queued on it, and with them whatever they
    // own: an object with I/O objects on another context (an upstream whose coroutine waits here
    // but whose timer lives there). So every context drops its handlers first, while the services
    // of all of them still exist; only then do the contexts go.
    for (auto& context : contexts_) context->shut_down();
    guards_.clear();
    contexts_.clear();
}

std::size_t IoPool::least_loaded() const {
    std::size_t best = 0;
    std::size_t fewest = connections_[0].load(std::memory_order_relaxed);
    for (std::size_t i = 1; i < contexts_.size(); ++i) {
        const auto n = connections_[i].load(std::memory_order_relaxed);
        if (n < fewest) {
            best = i;
            fewest = n;
        }
    }
    return best;
}

void IoPool::connection_opened(std::size_t index) {
    connections_[index].fetch_add(1, std::memory_order_relaxed);
}

void IoPool::connection_closed(std::size_t index) {
    connections_[index].fetch_sub(1, std::memory_order_relaxed);
}

std::size_t IoPool::open_connections(std::size_t index) const {
    return connections_[index].load(std::memory_order_relaxed);
}

boost::asio::io_context& IoPool::next_for_upstream() {
    return *contexts_[next_upstream_.fetch_add(1, std::memory_order_relaxed) % contexts_.size()];
}

void IoPool::start() {
    if (!threads_.empty()) return;
    for (std::size_t i = 0; i < contexts_.size(); ++i) {
        threads_.emplace_back([&io = *contexts_[i], i, window = busy_poll_] {
            util::name_this_thread("mcpproxy-io" + std::to_string(i));
            run_polling(io, window);
        });
    }
}

void IoPool::stop() {
    for (auto& guard : guards_) guard.reset();
    for (auto& context : contexts_) {
        if (!context->stopped()) context->stop();
    }
}

void IoPool::join() {
    for (auto& t : threads_) {
        if (!t.joinable()) continue;
        if (t.get_id() == std::this_thread::get_id()) {
            t.detach();  // stopping from one of our own threads: it returns by itself
        } else {
            t.join();
        }
    }
    threads_.clear();
}

}  // namespace mcpproxy::net
