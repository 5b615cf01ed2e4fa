#include "usage_tracker.hpp"

namespace mcpproxy::agent_token {

void UsageTracker::record(std::int64_t id, Seconds at) {
    std::lock_guard lock(mutex_);
    auto& latest = pending_[id];
    if (latest < at) latest = at;
}

std::vector<std::pair<std::int64_t, Seconds>> UsageTracker::drain() {
    std::unordered_map<std::int64_t, Seconds> taken;
    {
        std::lock_guard lock(mutex_);
        taken.swap(pending_);
    }
    return {taken.begin(), taken.end()};
}

}  // namespace mcpproxy::agent_token
