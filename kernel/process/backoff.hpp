#pragma once

#include <algorithm>
#include <chrono>

namespace mcpproxy::process {

// Capped exponential back-off: initial, then x2 per attempt up to max. A run that lasted at least
// reset_after counts as healthy and starts the sequence over.
class Backoff {
public:
    using duration = std::chrono::milliseconds;

    constexpr Backoff(duration initial, duration max,
                      duration reset_after = std::chrono::seconds{30}) noexcept
        : max_(std::max(max, duration::zero())),
          initial_(std::clamp(initial, duration::zero(), max_)),
          reset_after_(reset_after),
          next_(initial_) {}

    // The delay to wait before the next attempt; each call doubles the following one (capped).
    constexpr duration next_delay() noexcept {
        const duration delay = next_;
        next_ = next_ > max_ / 2 ? max_ : next_ * 2;
        return delay;
    }

    // Peeks at the delay next_delay() would return.
    [[nodiscard]] constexpr duration peek() const noexcept { return next_; }

    // Reports how long the last attempt stayed up; long enough resets the sequence.
    template <class Rep, class Period>
    constexpr void record_uptime(std::chrono::duration<Rep, Period> uptime) noexcept {
        if (uptime >= reset_after_) reset();
    }

    constexpr void reset() noexcept { next_ = initial_; }

    [[nodiscard]] constexpr duration initial() const noexcept { return initial_; }
    [[nodiscard]] constexpr duration max() const noexcept { return max_; }
    [[nodiscard]] constexpr duration reset_after() const noexcept { return reset_after_; }

private:
    duration max_;
    duration initial_;
    duration reset_after_;
    duration next_;
};

}  // namespace mcpproxy::process
