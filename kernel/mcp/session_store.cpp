#include "kernel/mcp/session_store.hpp"

#include "kernel/util/random.hpp"

namespace mcpproxy::mcp {

SessionStore::SessionStore(std::size_t max_sessions, std::chrono::seconds idle_limit)
    : max_sessions_(max_sessions), idle_limit_(idle_limit) {}

std::shared_ptr<Session> SessionStore::create(sdk::Identity identity, std::string protocol_version,
                                              Json client_capabilities,
                                              boost::asio::any_io_executor executor) {
    auto session = std::make_shared<Session>(util::random_hex(16), std::move(identity),
                                             std::move(protocol_version),
                                             std::move(client_capabilities), std::move(executor));
    std::shared_ptr<Session> evicted;
    {
        std::lock_guard lock(mutex_);
        if (sessions_.size() >= max_sessions_) {
            auto oldest = sessions_.begin();
            for (auto it = sessions_.begin(); it != sessions_.end(); ++it) {
                if (it->second->last_active() < oldest->second->last_active()) oldest = it;
            }
            evicted = oldest->second;
            sessions_.erase(oldest);
        }
        sessions_.emplace(session->id(), session);
    }
    if (evicted) evicted->close();
    return session;
}

std::shared_ptr<Session> SessionStore::find(const std::string& id) const {
    std::lock_guard lock(mutex_);
    const auto it = sessions_.find(id);
    return it == sessions_.end() ? nullptr : it->second;
}

bool SessionStore::remove(const std::string& id) {
    std::shared_ptr<Session> session;
    {
        std::lock_guard lock(mutex_);
        const auto it = sessions_.find(id);
        if (it == sessions_.end()) return false;
        session = it->second;
        sessions_.erase(it);
    }
    session->close();
    return true;
}

std::size_t SessionStore::sweep() {
    const auto cutoff = std::chrono::steady_clock::now() - idle_limit_;
    std::vector<std::shared_ptr<Session>> expired;
    {
        std::lock_guard lock(mutex_);
        for (auto it = sessions_.begin(); it != sessions_.end();) {
            if (it->second->last_active() < cutoff && !it->second->has_stream()) {
                expired.push_back(it->second);
                it = sessions_.erase(it);
            } else {
                ++it;
            }
        }
    }
    for (auto& s : expired) s->close();
    return expired.size();
}

std::vector<std::shared_ptr<Session>> SessionStore::all() const {
    std::lock_guard lock(mutex_);
    std::vector<std::shared_ptr<Session>> out;
    out.reserve(sessions_.size());
    for (const auto& [id, s] : sessions_) out.push_back(s);
    return out;
}

std::size_t SessionStore::size() const {
    std::lock_guard lock(mutex_);
    return sessions_.size();
}

void SessionStore::close_all() {
    std::map<std::string, std::shared_ptr<Session>, std::less<>> all;
    {
        std::lock_guard lock(mutex_);
        all.swap(sessions_);
    }
    for (auto& [id, s] : all) s->close();
}

}  // namespace mcpproxy::mcp
