#include "mcpproxy/tunnel_common/poll_loop.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

namespace mcpproxy::tunnel_common {
namespace {
using namespace std::chrono_literals;

TEST(PollLoop, TicksAtOnceThenPeriodicallyAndStopsPromptly) {
    std::atomic<int> ticks{0};
    PollLoop loop;
    loop.start(50ms, [&] { ++ticks; });
    std::this_thread::sleep_for(280ms);
    const auto started = std::chrono::steady_clock::now();
    loop.stop();
    EXPECT_LT(std::chrono::steady_clock::now() - started, 40ms);
    EXPECT_GE(ticks.load(), 4);
    EXPECT_LE(ticks.load(), 8);
    const int after = ticks.load();
    std::this_thread::sleep_for(120ms);
    EXPECT_EQ(ticks.load(), after);
}

TEST(PollLoop, LongIntervalStillStopsAtOnceAndPokeTicksNow) {
    std::atomic<int> ticks{0};
    PollLoop loop;
    loop.start(10s, [&] {
        ++ticks;
        throw std::runtime_error("keeps polling");
    });
    std::this_thread::sleep_for(50ms);
    loop.poke();
    std::this_thread::sleep_for(50ms);
    EXPECT_EQ(ticks.load(), 2);
    const auto started = std::chrono::steady_clock::now();
    loop.stop();
    EXPECT_LT(std::chrono::steady_clock::now() - started, 50ms);
}

}  // namespace
}  // namespace mcpproxy::tunnel_common
