#include "store_schema.hpp"

#include <iterator>
#include <stdexcept>
#include <string>

namespace mcpproxy::agent_token {
namespace {

struct Migration {
    int version;
    const char* sql;
};

// Append only: never edit a migration that has shipped.
constexpr Migration kMigrations[] = {
    {1, R"sql(
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value ANY
) STRICT;
INSERT INTO meta (key, value) VALUES ('revision', 0), ('tombstones_pruned_through', 0);

CREATE TABLE tokens (
    id                   INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused: usage stamps and tombstones name ids
    name                 TEXT NOT NULL UNIQUE COLLATE NOCASE,
    hash                 BLOB NOT NULL UNIQUE CHECK (length(hash) = 32),
    servers              TEXT NOT NULL,
    permission           TEXT NOT NULL CHECK (permission IN ('read', 'write', 'destructive')),
    created_at           INTEGER NOT NULL,
    expires_at           INTEGER NOT NULL,
    last_used_at         INTEGER,
    revoked_at           INTEGER,
    requests_per_second  REAL,
    burst                INTEGER,
    max_concurrent       INTEGER,
    previous_hash        BLOB UNIQUE CHECK (previous_hash IS NULL OR length(previous_hash) = 32),
    previous_valid_until INTEGER,
    revision             INTEGER NOT NULL
) STRICT;
CREATE INDEX tokens_by_revision ON tokens (revision);

CREATE TABLE deleted_tokens (
    id         INTEGER PRIMARY KEY,
    revision   INTEGER NOT NULL,
    deleted_at INTEGER NOT NULL
) STRICT;
CREATE INDEX deleted_tokens_by_revision ON deleted_tokens (revision);
)sql"},
};

int read_user_version(Database& db) {
    auto st = db.prepare("PRAGMA user_version");
    return st.step() ? static_cast<int>(st.int64(0)) : 0;
}

}  // namespace

int latest_schema_version() noexcept {
    return std::prev(std::end(kMigrations))->version;
}

void migrate_schema(Database& db) {
    // The usual case, up to date, takes no write lock.
    if (read_user_version(db) == latest_schema_version()) return;
    Transaction tx(db, Transaction::Kind::write);
    const int current = read_user_version(db);
    if (current > latest_schema_version()) {
        throw std::runtime_error("tokens.db has schema version " + std::to_string(current) +
                                 ", newer than this build understands (" +
                                 std::to_string(latest_schema_version()) + "); upgrade mcpproxy");
    }
    if (current == latest_schema_version()) return;  // another process migrated meanwhile
    for (const Migration& m : kMigrations) {
        if (m.version <= current) continue;
        db.exec(m.sql);
        db.exec(("PRAGMA user_version = " + std::to_string(m.version)).c_str());
    }
    tx.commit();
}

}  // namespace mcpproxy::agent_token
