#pragma once

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <chrono>
#include <future>
#include <optional>
#include <stdexcept>
#include <thread>
#include <vector>

namespace mcpproxy::process::testing {

// An io_context run by its own threads for the lifetime of a test.
class IoThreads {
public:
    explicit IoThreads(int count = 2) : work_(boost::asio::make_work_guard(io_)) {
        for (int i = 0; i < count; ++i) threads_.emplace_back([this] { io_.run(); });
    }
    IoThreads(const IoThreads&) = delete;
    IoThreads& operator=(const IoThreads&) = delete;
    ~IoThreads() { shut_down(); }

    boost::asio::io_context& io() { return io_; }
    boost::asio::any_io_executor executor() { return io_.get_executor(); }

    // Runs a coroutine on the io threads and waits for its result (rethrowing its exception).
    template <class T>
    T run(boost::asio::awaitable<T> coroutine,
          std::chrono::seconds timeout = std::chrono::seconds{20}) {
        auto future = boost::asio::co_spawn(io_, std::move(coroutine), boost::asio::use_future);
        if (future.wait_for(timeout) != std::future_status::ready) {
            throw std::runtime_error("coroutine did not finish in time");
        }
        return future.get();
    }

    // Stops the io_context and joins its threads (for tests of what happens without io).
    void shut_down() {
        work_.reset();
        io_.stop();
        for (auto& thread : threads_) {
            if (thread.joinable()) thread.join();
        }
    }

private:
    boost::asio::io_context io_;
    std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work_;
    std::vector<std::thread> threads_;
};

}  // namespace mcpproxy::process::testing
