#include "upstream/token_snapshot.hpp"

namespace mcpproxy::oauth {

std::vector<std::string> TokenSnapshot::replace_all(const std::vector<TokenRecord>& records) {
    std::lock_guard lock(mutex_);
    std::map<std::string, CachedToken> next;
    std::vector<std::string> changed;
    for (const auto& r : records) {
        CachedToken t;
        t.access_token = r.access_token;
        t.expires_at = r.expires_at;
        t.refreshable = !r.refresh_token.empty() && r.login_needed.empty();
        t.login_needed = r.login_needed;
        const auto old = tokens_.find(r.server);
        if (old != tokens_.end() && old->second.access_token == r.access_token) {
            t.generation = old->second.generation;
            t.handed_out = old->second.handed_out;
        } else {
            t.generation = next_generation_++;
            if (!r.access_token.empty()) changed.push_back(r.server);
        }
        next.emplace(r.server, std::move(t));
    }
    tokens_ = std::move(next);
    return changed;
}

std::optional<std::string> TokenSnapshot::hand_out(const std::string& server) {
    std::lock_guard lock(mutex_);
    const auto it = tokens_.find(server);
    if (it == tokens_.end() || it->second.access_token.empty()) return std::nullopt;
    it->second.handed_out = true;
    return it->second.access_token;
}

std::optional<CachedToken> TokenSnapshot::get(const std::string& server) const {
    std::lock_guard lock(mutex_);
    const auto it = tokens_.find(server);
    if (it == tokens_.end()) return std::nullopt;
    return it->second;
}

std::vector<std::pair<std::string, CachedToken>> TokenSnapshot::all() const {
    std::lock_guard lock(mutex_);
    return {tokens_.begin(), tokens_.end()};
}

bool TokenSnapshot::note_refused(const std::string& server, std::uint64_t generation) {
    std::lock_guard lock(mutex_);
    auto& refused = refused_generation_[server];
    if (refused == generation) return false;
    refused = generation;
    return true;
}

}  // namespace mcpproxy::oauth
