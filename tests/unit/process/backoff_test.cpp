#include "kernel/process/backoff.hpp"

#include <gtest/gtest.h>

namespace mcpproxy::process {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

TEST(Backoff, DoublesFromInitialUpToMax) {
    Backoff backoff(milliseconds{500}, milliseconds{3'000});
    EXPECT_EQ(backoff.next_delay(), milliseconds{500});
    EXPECT_EQ(backoff.next_delay(), milliseconds{1'000});
    EXPECT_EQ(backoff.next_delay(), milliseconds{2'000});
    EXPECT_EQ(backoff.next_delay(), milliseconds{3'000});
    EXPECT_EQ(backoff.next_delay(), milliseconds{3'000});
    EXPECT_EQ(backoff.peek(), milliseconds{3'000});
}

TEST(Backoff, ResetsOnlyAfterALongEnoughRun) {
    Backoff backoff(milliseconds{100}, milliseconds{10'000}, seconds{30});
    backoff.next_delay();
    backoff.next_delay();
    backoff.record_uptime(seconds{29});
    EXPECT_EQ(backoff.peek(), milliseconds{400});
    backoff.record_uptime(seconds{30});
    EXPECT_EQ(backoff.next_delay(), milliseconds{100});
    backoff.next_delay();
    backoff.reset();
    EXPECT_EQ(backoff.next_delay(), milliseconds{100});
}

TEST(Backoff, InitialAboveMaxIsCapped) {
    Backoff backoff(milliseconds{5'000}, milliseconds{1'000});
    EXPECT_EQ(backoff.initial(), milliseconds{1'000});
    EXPECT_EQ(backoff.next_delay(), milliseconds{1'000});
    EXPECT_EQ(backoff.next_delay(), milliseconds{1'000});
}

TEST(Backoff, DoublingNeverOverflows) {
    const milliseconds huge{milliseconds::max().count() - 1};
    Backoff backoff(milliseconds{1}, huge);
    milliseconds previous{0};
    for (int i = 0; i < 100; ++i) {
        const milliseconds delay = backoff.next_delay();
        ASSERT_GE(delay, previous);
        ASSERT_LE(delay, huge);
        previous = delay;
    }
    EXPECT_EQ(previous, huge);
}

TEST(Backoff, NegativeValuesAreTreatedAsZero) {
    Backoff backoff(milliseconds{-5}, milliseconds{-1});
    EXPECT_EQ(backoff.next_delay(), milliseconds{0});
    EXPECT_EQ(backoff.next_delay(), milliseconds{0});
}

}  // namespace
}  // namespace mcpproxy::process
