#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "kernel/activity/activity_record.hpp"

namespace mcpproxy::activity {

enum class Order { newest_first, oldest_first };

// Which records a query returns. Unset fields match everything; string fields match exactly.
struct ActivityFilter {
    std::optional<std::string> identity{};  // identity_name
    std::optional<std::string> server{};
    std::optional<std::string> decision{};  // "allowed" | "denied"
    std::optional<std::string> method{};
    std::optional<std::chrono::system_clock::time_point> since{};  // inclusive
    std::optional<std::chrono::system_clock::time_point> until{};  // exclusive
    std::size_t limit = 100;                                       // 0 = no limit
    Order order = Order::newest_first;
};

// How much a store holds, for the size cap.
struct StoreUsage {
    std::uint64_t bytes = 0;    // what the records and their indexes take, not free space
    std::uint64_t records = 0;  // may be an estimate
};

// Where activity records are kept. SQLite is the embedded default; a server backend can follow.
// Implementations are thread-safe. Failures throw StoreError.
class ActivityStore {
public:
    using Visitor = std::function<void(const ActivityRecord&)>;

    virtual ~ActivityStore() = default;

    // All records or none: one transaction.
    virtual void insert_batch(std::span<const ActivityRecord> records) = 0;
    // Streams matching records to `visitor` without holding them all in memory (exports). The
    // visitor must not call back into the store.
    virtual void visit(const ActivityFilter& filter, const Visitor& visitor) = 0;
    // Deletes up to `max_records` of the oldest records older than `older_than`; returns how many.
    // Callers loop in bounded steps so a large prune neither holds the write lock for long nor
    // delays a shutdown.
    virtual std::uint64_t prune(std::chrono::system_clock::time_point older_than,
                                std::uint64_t max_records) = 0;
    // Deletes up to `max_records` of the oldest records (by time, then insertion order), whatever
    // their age; returns how many. For the size cap, in bounded steps like prune().
    virtual std::uint64_t prune_oldest(std::uint64_t max_records) = 0;
    // Cheap (no scan of the records): nullopt when the store has no size worth capping.
    virtual std::optional<StoreUsage> usage() = 0;
    virtual std::uint64_t count() = 0;

    std::vector<ActivityRecord> query(const ActivityFilter& filter);
};

}  // namespace mcpproxy::activity
