#include "kernel/net/connection_registry.hpp"

#include <vector>

namespace mcpproxy::net {

std::shared_ptr<ConnectionRegistry::Entry> ConnectionRegistry::add(std::function<void()> close) {
    auto entry = std::make_shared<Entry>();
    entry->close = std::move(close);
    std::lock_guard lock(mutex_);
    entries_.insert(entry);
    return entry;
}

void ConnectionRegistry::remove(const std::shared_ptr<Entry>& entry) {
    std::lock_guard lock(mutex_);
    entries_.erase(entry);
}

std::size_t ConnectionRegistry::size() const {
    std::lock_guard lock(mutex_);
    return entries_.size();
}

std::size_t ConnectionRegistry::busy_count() const {
    std::lock_guard lock(mutex_);
    std::size_t n = 0;
    for (const auto& e : entries_) n += e->busy.load() ? 1 : 0;
    return n;
}

void ConnectionRegistry::begin_shutdown() {
    stopping_.store(true, std::memory_order_release);
    std::vector<std::shared_ptr<Entry>> idle;
    {
        std::lock_guard lock(mutex_);
        for (const auto& e : entries_) {
            if (!e->busy.load()) idle.push_back(e);
        }
    }
    for (const auto& e : idle) e->close();
}

void ConnectionRegistry::close_all() {
    std::vector<std::shared_ptr<Entry>> all;
    {
        std::lock_guard lock(mutex_);
        all.assign(entries_.begin(), entries_.end());
    }
    for (const auto& e : all) e->close();
}

}  // namespace mcpproxy::net
