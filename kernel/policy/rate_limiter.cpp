#include "kernel/policy/rate_limiter.hpp"

#include <algorithm>
#include <cmath>

namespace mcpproxy::policy {

RateLimiter::RateLimiter(LimitSettings defaults, std::size_t max_keys)
    : defaults_(defaults), max_keys_(max_keys) {}

void RateLimiter::refill(Bucket& b, Clock::time_point now) {
    if (b.rate <= 0) return;
    const double elapsed = std::chrono::duration<double>(now - b.refilled).count();
    if (elapsed > 0) {
        b.tokens = std::min(b.capacity, b.tokens + elapsed * b.rate);
        b.refilled = now;
    }
}

RateLimiter::Bucket& RateLimiter::bucket(const std::string& key, const sdk::Limits* overrides,
                                         Clock::time_point now) {
    auto it = buckets_.find(key);
    const bool created = it == buckets_.end();
    if (created) {
        if (buckets_.size() >= max_keys_) evict_idle(now);
        Bucket b;
        b.rate = defaults_.requests_per_second;
        b.capacity = defaults_.burst != 0 ? defaults_.burst : std::max(1.0, std::ceil(b.rate));
        b.max_concurrent = defaults_.max_concurrent;
        b.tokens = b.capacity;
        b.refilled = now;
        it = buckets_.emplace(key, b).first;
    }
    auto& b = it->second;
    if (overrides != nullptr) {
        if (overrides->requests_per_second) b.rate = *overrides->requests_per_second;
        if (overrides->burst)
            b.capacity = *overrides->burst;
        else if (overrides->requests_per_second)
            b.capacity = std::max(1.0, std::ceil(b.rate));
        if (overrides->max_concurrent) b.max_concurrent = *overrides->max_concurrent;
        // A new key starts with its own full burst, not the default one; a known key keeps what
        // it has left (within a capacity that may have changed).
        b.tokens = created ? b.capacity : std::min(b.tokens, b.capacity);
    }
    return b;
}

void RateLimiter::evict_idle(Clock::time_point now) {
    for (auto it = buckets_.begin(); it != buckets_.end();) {
        refill(it->second, now);
        const bool full = it->second.rate <= 0 || it->second.tokens >= it->second.capacity;
        if (it->second.in_flight == 0 && full)
            it = buckets_.erase(it);
        else
            ++it;
    }
}

RateLimiter::Admission RateLimiter::admit(const std::string& key, const sdk::Limits& overrides,
                                          Clock::time_point now) {
    std::lock_guard lock(mutex_);
    auto& b = bucket(key, &overrides, now);
    if (b.max_concurrent != 0 && b.in_flight >= b.max_concurrent) {
        return {false, std::chrono::seconds(1), true};
    }
    if (b.rate > 0) {
        refill(b, now);
        if (b.tokens < 1.0) {
            const double wait = (1.0 - b.tokens) / b.rate;
            return {false, std::chrono::seconds(static_cast<long>(std::ceil(wait))), false};
        }
        b.tokens -= 1.0;
    }
    ++b.in_flight;
    return {};
}

void RateLimiter::release(const std::string& key) {
    std::lock_guard lock(mutex_);
    const auto it = buckets_.find(key);
    if (it != buckets_.end() && it->second.in_flight > 0) --it->second.in_flight;
}

RateLimiter::Admission RateLimiter::take(const std::string& key, Clock::time_point now) {
    std::lock_guard lock(mutex_);
    auto& b = bucket(key, nullptr, now);
    if (b.rate <= 0) return {};
    refill(b, now);
    if (b.tokens < 1.0) {
        const double wait = (1.0 - b.tokens) / b.rate;
        return {false, std::chrono::seconds(static_cast<long>(std::ceil(wait))), false};
    }
    b.tokens -= 1.0;
    return {};
}

bool RateLimiter::would_admit(const std::string& key, Clock::time_point now) {
    std::lock_guard lock(mutex_);
    const auto it = buckets_.find(key);
    if (it == buckets_.end() || it->second.rate <= 0) return true;
    refill(it->second, now);
    return it->second.tokens >= 1.0;
}

}  // namespace mcpproxy::policy
