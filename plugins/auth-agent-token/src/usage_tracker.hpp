#pragma once

#include <cstdint>
#include <mutex>
#include <unordered_map>
#include <utility>
#include <vector>

#include "token_record.hpp"

namespace mcpproxy::agent_token {

// Collects "token id was used at t" in memory so the request path never writes to the database;
// the refresher drains it in batches.
class UsageTracker {
public:
    void record(std::int64_t id, Seconds at);
    [[nodiscard]] std::vector<std::pair<std::int64_t, Seconds>> drain();

private:
    std::mutex mutex_;
    std::unordered_map<std::int64_t, Seconds> pending_;
};

}  // namespace mcpproxy::agent_token
