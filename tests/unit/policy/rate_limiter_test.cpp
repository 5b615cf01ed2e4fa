// The token buckets behind per-identity limits (R-POL-2), on an explicit clock.
#include "kernel/policy/rate_limiter.hpp"

#include <gtest/gtest.h>

namespace mcpproxy::policy {
namespace {

using namespace std::chrono_literals;
using Clock = RateLimiter::Clock;

sdk::Limits limits(std::optional<double> rps, std::optional<std::uint32_t> burst,
                   std::optional<std::uint32_t> concurrent = std::nullopt) {
    sdk::Limits l;
    l.requests_per_second = rps;
    l.burst = burst;
    l.max_concurrent = concurrent;
    return l;
}

// Admits and releases at once (a request that finished), as many times as it is allowed.
int rapid_admissions(RateLimiter& limiter, const std::string& key, const sdk::Limits& l,
                     Clock::time_point now) {
    int n = 0;
    while (n < 1000 && limiter.admit(key, l, now).allowed) {
        limiter.release(key);
        ++n;
    }
    return n;
}

TEST(RateLimiterTest, AKeysOwnBurstIsAvailableAtOnceWhenThereIsNoDefault) {
    RateLimiter limiter(LimitSettings{});
    const auto now = Clock::now();
    EXPECT_EQ(rapid_admissions(limiter, "agent", limits(1.0, 2), now), 2);
}

TEST(RateLimiterTest, AKeysOwnBurstReplacesASmallerDefaultFromTheStart) {
    RateLimiter limiter(LimitSettings{1.0, 2, 0});
    const auto now = Clock::now();
    EXPECT_EQ(rapid_admissions(limiter, "generous", limits(100.0, 50), now), 50);
    EXPECT_EQ(rapid_admissions(limiter, "plain", sdk::Limits{}, now), 2);
}

TEST(RateLimiterTest, RefusalSaysWhenToRetryAndTheBucketRefills) {
    RateLimiter limiter(LimitSettings{});
    const auto now = Clock::now();
    const auto l = limits(1.0, 2);
    ASSERT_EQ(rapid_admissions(limiter, "agent", l, now), 2);
    const auto refused = limiter.admit("agent", l, now);
    EXPECT_FALSE(refused.allowed);
    EXPECT_FALSE(refused.concurrency);
    EXPECT_EQ(refused.retry_after, 1s);
    EXPECT_TRUE(limiter.admit("agent", l, now + 1s).allowed);
}

TEST(RateLimiterTest, AKnownKeyKeepsWhatItUsedWhenItsLimitsAreSeenAgain) {
    RateLimiter limiter(LimitSettings{});
    const auto now = Clock::now();
    const auto l = limits(1.0, 3);
    ASSERT_EQ(rapid_admissions(limiter, "agent", l, now), 3);
    // Same limits on the next request: no fresh burst.
    EXPECT_FALSE(limiter.admit("agent", l, now).allowed);
}

TEST(RateLimiterTest, ConcurrencyLimitCountsInFlightRequests) {
    RateLimiter limiter(LimitSettings{});
    const auto now = Clock::now();
    const auto l = limits(std::nullopt, std::nullopt, 1);
    ASSERT_TRUE(limiter.admit("agent", l, now).allowed);
    const auto refused = limiter.admit("agent", l, now);
    EXPECT_FALSE(refused.allowed);
    EXPECT_TRUE(refused.concurrency);
    limiter.release("agent");
    EXPECT_TRUE(limiter.admit("agent", l, now).allowed);
}

TEST(RateLimiterTest, FailureCountingStartsFromTheFullDefaultBurst) {
    RateLimiter failures(LimitSettings{5.0 / 60.0, 5, 0});
    const auto now = Clock::now();
    for (int i = 0; i < 5; ++i) {
        EXPECT_TRUE(failures.would_admit("10.0.0.1", now)) << i;
        failures.take("10.0.0.1", now);
    }
    EXPECT_FALSE(failures.would_admit("10.0.0.1", now));
    EXPECT_TRUE(failures.would_admit("10.0.0.2", now));
    EXPECT_TRUE(failures.would_admit("10.0.0.1", now + 12s));
}

}  // namespace
}  // namespace mcpproxy::policy
