#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>

#include "mcpproxy/sdk/identity.hpp"

namespace mcpproxy::policy {

struct LimitSettings {
    double requests_per_second = 0;    // 0: no rate limit
    std::uint32_t burst = 0;           // 0: same as one second's worth
    std::uint32_t max_concurrent = 0;  // 0: unlimited
};

// Per-key token buckets and concurrency counters (key: identity name, or client address for
// failed logins). Thread-safe; O(1) per call; memory bounded by evicting idle keys.
class RateLimiter {
public:
    using Clock = std::chrono::steady_clock;

    explicit RateLimiter(LimitSettings defaults, std::size_t max_keys = 100'000);

    struct Admission {
        bool allowed = true;
        std::chrono::seconds retry_after{0};
        bool concurrency = false;  // refused for concurrency rather than rate
    };

    // Takes one token and one concurrency slot for key; release() gives the slot back.
    Admission admit(const std::string& key, const sdk::Limits& overrides,
                    Clock::time_point now = Clock::now());
    void release(const std::string& key);
    // Takes one token without a concurrency slot (used to count failures).
    Admission take(const std::string& key, Clock::time_point now = Clock::now());
    // Whether a token is available, without taking one.
    [[nodiscard]] bool would_admit(const std::string& key, Clock::time_point now = Clock::now());

private:
    struct Bucket {
        double tokens = 0;
        Clock::time_point refilled;
        std::uint32_t in_flight = 0;
        double rate = 0;
        double capacity = 0;
        std::uint32_t max_concurrent = 0;
    };
    Bucket& bucket(const std::string& key, const sdk::Limits* overrides, Clock::time_point now);
    static void refill(Bucket& b, Clock::time_point now);
    void evict_idle(Clock::time_point now);

    LimitSettings defaults_;
    std::size_t max_keys_;
    std::mutex mutex_;
    std::unordered_map<std::string, Bucket> buckets_;
};

// Holds a concurrency slot for the duration of a request.
class AdmissionSlot {
public:
    AdmissionSlot() = default;
    AdmissionSlot(RateLimiter* limiter, std::string key)
        : limiter_(limiter), key_(std::move(key)) {}
    ~AdmissionSlot() {
        if (limiter_ != nullptr) limiter_->release(key_);
    }
    AdmissionSlot(AdmissionSlot&& other) noexcept
        : limiter_(std::exchange(other.limiter_, nullptr)), key_(std::move(other.key_)) {}
    AdmissionSlot& operator=(AdmissionSlot&& other) noexcept {
        if (this != &other) {
            if (limiter_ != nullptr) limiter_->release(key_);
            limiter_ = std::exchange(other.limiter_, nullptr);
            key_ = std::move(other.key_);
        }
        return *this;
    }
    AdmissionSlot(const AdmissionSlot&) = delete;
    AdmissionSlot& operator=(const AdmissionSlot&) = delete;

private:
    RateLimiter* limiter_ = nullptr;
    std::string key_;
};

}  // namespace mcpproxy::policy
