#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sqlite_handle.hpp"
#include "token_record.hpp"

namespace mcpproxy::agent_token {

inline constexpr const char* kStoreFileName = "tokens.db";

class DuplicateTokenName : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// What a new row holds; the store assigns id and revision.
struct NewToken {
    std::string name;
    TokenHash hash{};
    std::vector<std::string> allowed_servers{"*"};
    sdk::Permission permission = sdk::Permission::read;
    sdk::Limits limits;
    Seconds created_at{};
    Seconds expires_at{};
};

// Rows changed since a revision, for the live view. full: rows is the whole table and the view
// must drop everything it has (first load, or tombstones it would need were pruned).
struct ChangeSet {
    std::vector<TokenRecord> rows;
    std::vector<std::int64_t> deleted_ids;
    std::int64_t revision = 0;
    bool full = false;
};

enum class RevokeOutcome { revoked, already_revoked, not_found };

struct ReplaceSecretRequest {
    TokenHash new_hash{};
    Seconds now{};
    std::chrono::seconds grace{0};          // 0: the old secret stops working at once
    std::optional<Seconds> new_expires_at;  // unset: keep the expiry
};

enum class ReplaceOutcome { replaced, not_found, revoked, expired };

// <data_dir>/tokens.db: SQLite in WAL mode, mode 0600, shared by the CLI and running proxies.
// Every write is one IMMEDIATE transaction that bumps the store-wide revision, so readers can
// fetch only what changed. One instance per thread.
class TokenStore {
public:
    TokenStore(const std::filesystem::path& data_dir, std::chrono::milliseconds busy_timeout);

    [[nodiscard]] const std::filesystem::path& file() const noexcept { return file_; }

    [[nodiscard]] std::optional<std::string> key_fingerprint();
    // Records the fingerprint unless one is already stored; returns the stored one.
    std::string remember_key_fingerprint(const std::string& fingerprint);
    void forget_key_fingerprint();

    // Throws DuplicateTokenName when the name (case-insensitive) is taken.
    TokenRecord insert(const NewToken& token);
    // All in one transaction.
    void insert_many(const std::vector<NewToken>& tokens);

    [[nodiscard]] std::optional<TokenRecord> find(std::string_view name);
    [[nodiscard]] std::vector<TokenRecord> list();
    [[nodiscard]] std::int64_t count();

    RevokeOutcome revoke(std::string_view name, Seconds now);
    // Deletes the row and leaves a tombstone so live views drop it. False when not found.
    bool remove(std::string_view name, Seconds now);
    std::pair<ReplaceOutcome, std::optional<TokenRecord>> replace_secret(
        std::string_view name, const ReplaceSecretRequest& r);

    [[nodiscard]] ChangeSet changes_since(std::int64_t revision);
    // Changes whenever another connection commits (PRAGMA data_version); cheap to poll.
    [[nodiscard]] std::int64_t data_version();
    // Best-effort usage stamps; does not bump the revision (views do not carry last_used_at).
    void record_last_used(const std::vector<std::pair<std::int64_t, Seconds>>& uses);

private:
    std::int64_t bump_revision();
    void insert_row(Statement& st, const NewToken& t, std::int64_t revision);

    std::filesystem::path file_;
    Database db_;
};

}  // namespace mcpproxy::agent_token
