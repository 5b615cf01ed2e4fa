#include "kernel/activity/activity_store.hpp"

#include <algorithm>

namespace mcpproxy::activity {

std::vector<ActivityRecord> ActivityStore::query(const ActivityFilter& filter) {
    std::vector<ActivityRecord> records;
    if (filter.limit > 0) records.reserve(std::min<std::size_t>(filter.limit, 1024));
    visit(filter, [&records](const ActivityRecord& record) { records.push_back(record); });
    return records;
}

}  // namespace mcpproxy::activity
