#include "token_view.hpp"

#include <mutex>

namespace mcpproxy::agent_token {

std::shared_ptr<const ViewEntry> make_view_entry(const TokenRecord& record) {
    auto e = std::make_shared<ViewEntry>();
    e->id = record.id;
    e->identity.name = record.name;
    e->identity.kind = "agent_token";
    e->identity.allowed_servers = record.allowed_servers;
    e->identity.permission = record.permission;
    e->identity.limits = record.limits;
    e->hash = record.hash;
    e->expires_at = record.expires_at;
    e->revoked = record.revoked();
    e->previous_hash = record.previous_hash;
    e->previous_valid_until = record.previous_valid_until.value_or(Seconds{});
    return e;
}

std::optional<TokenView::Match> TokenView::find(const TokenHash& hash) const {
    std::shared_lock lock(mutex_);
    const auto it = by_hash_.find(hash);
    if (it == by_hash_.end()) return std::nullopt;
    const bool via_previous = !TokenHashEqual{}(it->second->hash, hash);
    return Match{it->second, via_previous};
}

void TokenView::erase_id(ByHash& by_hash, ById& by_id, std::int64_t id) {
    const auto it = by_id.find(id);
    if (it == by_id.end()) return;
    by_hash.erase(it->second->hash);
    if (it->second->previous_hash) by_hash.erase(*it->second->previous_hash);
    by_id.erase(it);
}

void TokenView::insert(ByHash& by_hash, ById& by_id, const TokenRecord& record) {
    auto entry = make_view_entry(record);
    by_hash[record.hash] = entry;
    if (record.previous_hash) by_hash[*record.previous_hash] = entry;
    by_id[record.id] = std::move(entry);
}

void TokenView::apply(const ChangeSet& changes) {
    if (changes.full) {
        // Built outside the lock so readers keep going during a reload of many rows.
        ByHash by_hash;
        ById by_id;
        by_hash.reserve(changes.rows.size() * 5 / 4 + 16);
        by_id.reserve(changes.rows.size() + 16);
        for (const auto& row : changes.rows) insert(by_hash, by_id, row);
        std::unique_lock lock(mutex_);
        by_hash_.swap(by_hash);
        by_id_.swap(by_id);
        revision_ = changes.revision;
        lock.unlock();
        return;  // the old maps are freed here, outside the lock
    }
    std::unique_lock lock(mutex_);
    // Deletions first: a row present in the change set is always the current truth.
    for (const auto id : changes.deleted_ids) erase_id(by_hash_, by_id_, id);
    for (const auto& row : changes.rows) {
        erase_id(by_hash_, by_id_, row.id);
        insert(by_hash_, by_id_, row);
    }
    revision_ = changes.revision;
}

std::size_t TokenView::size() const {
    std::shared_lock lock(mutex_);
    return by_id_.size();
}

std::int64_t TokenView::revision() const {
    std::shared_lock lock(mutex_);
    return revision_;
}

}  // namespace mcpproxy::agent_token

namespace mcpproxy::agent_token {

std::vector<std::string> TokenView::active_names(Seconds now, std::size_t limit) const {
    std::vector<std::string> names;
    std::shared_lock lock(mutex_);
    for (const auto& [id, entry] : by_id_) {
        if (names.size() >= limit) break;
        if (!entry->revoked && entry->expires_at > now) names.push_back(entry->identity.name);
    }
    return names;
}

}  // namespace mcpproxy::agent_token
