#include "fake_store.hpp"

#include <algorithm>

namespace mcpproxy::activity::test {

void FakeStore::fail_with(StoreErrorKind kind) {
    std::lock_guard lock(mutex_);
    failing_ = true;
    failure_ = kind;
}

void FakeStore::heal() {
    std::lock_guard lock(mutex_);
    failing_ = false;
}

void FakeStore::reject_request_id(std::string request_id) {
    std::lock_guard lock(mutex_);
    rejected_id_ = std::move(request_id);
}

void FakeStore::set_bytes_per_record(std::uint64_t bytes) {
    std::lock_guard lock(mutex_);
    bytes_per_record_ = bytes;
}

void FakeStore::insert_batch(std::span<const ActivityRecord> records) {
    ++insert_calls_;
    std::lock_guard lock(mutex_);
    if (failing_) {
        throw StoreError(failure_, 13, std::string("fake store failure: ") + to_string(failure_));
    }
    for (const auto& record : records) {
        if (!rejected_id_.empty() && record.request_id == rejected_id_) {
            throw StoreError(StoreErrorKind::invalid_record, 18,
                             "fake store: string or blob too big");
        }
    }
    records_.insert(records_.end(), records.begin(), records.end());
}

void FakeStore::visit(const ActivityFilter&, const Visitor& visitor) {
    for (const auto& record : stored()) visitor(record);
}

std::uint64_t FakeStore::prune(std::chrono::system_clock::time_point older_than,
                               std::uint64_t max_records) {
    std::lock_guard lock(mutex_);
    std::uint64_t deleted = 0;
    std::erase_if(records_, [&](const ActivityRecord& r) {
        if (deleted >= max_records || r.time >= older_than) return false;
        ++deleted;
        return true;
    });
    return deleted;
}

std::uint64_t FakeStore::prune_oldest(std::uint64_t max_records) {
    std::lock_guard lock(mutex_);
    std::stable_sort(
        records_.begin(), records_.end(),
        [](const ActivityRecord& a, const ActivityRecord& b) { return a.time < b.time; });
    const auto n = std::min<std::uint64_t>(max_records, records_.size());
    records_.erase(records_.begin(), records_.begin() + static_cast<std::ptrdiff_t>(n));
    return n;
}

std::optional<StoreUsage> FakeStore::usage() {
    std::lock_guard lock(mutex_);
    if (bytes_per_record_ == 0) return std::nullopt;
    return StoreUsage{.bytes = records_.size() * bytes_per_record_, .records = records_.size()};
}

std::uint64_t FakeStore::count() {
    std::lock_guard lock(mutex_);
    return records_.size();
}

std::vector<ActivityRecord> FakeStore::stored() const {
    std::lock_guard lock(mutex_);
    return records_;
}

}  // namespace mcpproxy::activity::test
