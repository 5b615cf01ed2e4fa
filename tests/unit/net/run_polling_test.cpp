#include "kernel/net/run_polling.hpp"

#include <gtest/gtest.h>
#include <sys/resource.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <chrono>
#include <future>
#include <thread>

namespace mcpproxy::net {
namespace {

using namespace std::chrono_literals;

std::chrono::microseconds process_cpu() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    const auto seconds = usage.ru_utime.tv_sec + usage.ru_stime.tv_sec;
    const auto micros = usage.ru_utime.tv_usec + usage.ru_stime.tv_usec;
    return std::chrono::seconds(seconds) + std::chrono::microseconds(micros);
}

// An io_context run by run_polling on its own thread, kept alive by a work guard.
struct PolledContext {
    explicit PolledContext(std::chrono::microseconds window)
        : guard(io.get_executor()), thread([this, window] { run_polling(io, window); }) {}
    ~PolledContext() {
        guard.reset();
        io.stop();
        thread.join();
    }
    boost::asio::io_context io{1};
    boost::asio::executor_work_guard<boost::asio::io_context::executor_type> guard;
    std::thread thread;
};

bool runs_posted_handler(boost::asio::io_context& io) {
    std::promise<void> ran;
    boost::asio::post(io, [&] { ran.set_value(); });
    return ran.get_future().wait_for(5s) == std::future_status::ready;
}

TEST(RunPolling, RunsHandlersPostedBeforeAndAfterItFellAsleep) {
    PolledContext polled(1000us);
    EXPECT_TRUE(runs_posted_handler(polled.io));  // while polling
    std::this_thread::sleep_for(50ms);            // long past the window: asleep
    EXPECT_TRUE(runs_posted_handler(polled.io));
}

TEST(RunPolling, AnIdleThreadSleepsOnceTheWindowIsOver) {
    PolledContext polled(1000us);
    ASSERT_TRUE(runs_posted_handler(polled.io));
    const auto before = process_cpu();
    std::this_thread::sleep_for(300ms);
    // A thread that kept polling would have used about 300 ms of CPU; one that went to sleep
    // after its 1 ms window uses next to none.
    EXPECT_LT(process_cpu() - before, 60ms);
}

TEST(RunPolling, ReturnsWhenTheContextIsStopped) {
    boost::asio::io_context io{1};
    auto guard = boost::asio::make_work_guard(io);
    auto done = std::async(std::launch::async, [&] { run_polling(io, 100000us); });
    std::this_thread::sleep_for(10ms);  // inside the window
    io.stop();
    EXPECT_EQ(done.wait_for(5s), std::future_status::ready);
}

TEST(RunPolling, AZeroWindowIsPlainRun) {
    boost::asio::io_context io{1};
    int ran = 0;
    boost::asio::post(io, [&] { ++ran; });
    run_polling(io, 0us);  // no work guard: returns once the handler ran
    EXPECT_EQ(ran, 1);
}

}  // namespace
}  // namespace mcpproxy::net
