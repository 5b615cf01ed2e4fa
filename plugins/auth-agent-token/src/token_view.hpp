#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "mcpproxy/sdk/identity.hpp"
#include "token_record.hpp"
#include "token_store.hpp"

namespace mcpproxy::agent_token {

// What the request path needs to know about one token, prepared once per change.
struct ViewEntry {
    std::int64_t id = 0;
    sdk::Identity identity;  // ready to hand out: name, kind, servers, permission, limits
    TokenHash hash{};
    Seconds expires_at{};
    bool revoked = false;
    std::optional<TokenHash> previous_hash;
    Seconds previous_valid_until{};
    // Last second a use was reported to the usage tracker; throttles reports to one per second.
    mutable std::atomic<std::int64_t> last_reported{0};
};

[[nodiscard]] std::shared_ptr<const ViewEntry> make_view_entry(const TokenRecord& record);

// The in-memory picture of tokens.db the auth bridge reads: hash -> token in O(1). Readers share a
// lock for a hash-map probe; changes are applied incrementally under a short exclusive lock.
class TokenView {
public:
    struct Match {
        std::shared_ptr<const ViewEntry> entry;
        bool via_previous = false;  // matched the secret replaced by `regenerate --grace`
    };

    [[nodiscard]] std::optional<Match> find(const TokenHash& hash) const;
    void apply(const ChangeSet& changes);

    [[nodiscard]] std::size_t size() const;
    // Names of tokens neither revoked nor expired at `now`, at most `limit` of them.
    [[nodiscard]] std::vector<std::string> active_names(Seconds now, std::size_t limit) const;
    [[nodiscard]] std::int64_t revision() const;

private:
    using ByHash = std::unordered_map<TokenHash, std::shared_ptr<const ViewEntry>, TokenHashHasher,
                                      TokenHashEqual>;
    using ById = std::unordered_map<std::int64_t, std::shared_ptr<const ViewEntry>>;

    static void erase_id(ByHash& by_hash, ById& by_id, std::int64_t id);
    static void insert(ByHash& by_hash, ById& by_id, const TokenRecord& record);

    mutable std::shared_mutex mutex_;
    ByHash by_hash_;
    ById by_id_;
    std::int64_t revision_ = 0;
};

}  // namespace mcpproxy::agent_token
