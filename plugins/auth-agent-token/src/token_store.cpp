#include "token_store.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "permission_parse.hpp"
#include "private_file.hpp"
#include "store_schema.hpp"

namespace mcpproxy::agent_token {
namespace {

// Tombstones let a live view learn about deletions; a view more than this far behind reloads fully.
constexpr std::chrono::seconds kTombstoneRetention = std::chrono::days(7);

constexpr std::string_view kColumns =
    "id, name, hash, servers, permission, created_at, expires_at, last_used_at, revoked_at, "
    "requests_per_second, burst, max_concurrent, previous_hash, previous_valid_until, revision";

std::filesystem::path prepare_store_file(const std::filesystem::path& data_dir) {
    ensure_private_dir(data_dir);
    auto file = data_dir / kStoreFileName;
    // Created (or tightened) before SQLite opens it; SQLite gives -wal and -shm the same mode.
    ensure_private_file(file);
    return file;
}

std::int64_t to_unix(Seconds t) {
    return t.time_since_epoch().count();
}
Seconds from_unix(std::int64_t s) {
    return Seconds(std::chrono::seconds(s));
}

TokenHash to_hash(const std::vector<unsigned char>& bytes) {
    TokenHash h{};
    if (bytes.size() != h.size()) throw std::runtime_error("tokens.db holds a malformed hash");
    std::copy(bytes.begin(), bytes.end(), h.begin());
    return h;
}

std::string servers_json(const std::vector<std::string>& servers) {
    return nlohmann::json(servers).dump();
}

std::vector<std::string> servers_from_json(const std::string& text) {
    if (text == R"(["*"])") return {"*"};  // the common case, without a JSON parse per row
    const auto j = nlohmann::json::parse(text, nullptr, false);
    if (!j.is_array()) throw std::runtime_error("tokens.db holds a malformed server list");
    std::vector<std::string> out;
    for (const auto& s : j) {
        if (!s.is_string()) throw std::runtime_error("tokens.db holds a malformed server list");
        out.push_back(s.get<std::string>());
    }
    return out;
}

TokenRecord read_record(const Statement& st) {
    TokenRecord r;
    r.id = st.int64(0);
    r.name = st.text(1);
    r.hash = to_hash(st.blob(2));
    r.allowed_servers = servers_from_json(st.text(3));
    const auto permission = permission_from_level(st.text(4));
    if (!permission) throw std::runtime_error("tokens.db holds an unknown permission");
    r.permission = *permission;
    r.created_at = from_unix(st.int64(5));
    r.expires_at = from_unix(st.int64(6));
    if (!st.is_null(7)) r.last_used_at = from_unix(st.int64(7));
    if (!st.is_null(8)) r.revoked_at = from_unix(st.int64(8));
    if (!st.is_null(9)) r.limits.requests_per_second = st.real(9);
    if (!st.is_null(10)) r.limits.burst = static_cast<std::uint32_t>(st.int64(10));
    if (!st.is_null(11)) r.limits.max_concurrent = static_cast<std::uint32_t>(st.int64(11));
    if (!st.is_null(12)) r.previous_hash = to_hash(st.blob(12));
    if (!st.is_null(13)) r.previous_valid_until = from_unix(st.int64(13));
    r.revision = st.int64(14);
    return r;
}

std::string select_sql(std::string_view where) {
    std::string sql = "SELECT ";
    sql += kColumns;
    sql += " FROM tokens ";
    sql += where;
    return sql;
}

std::int64_t meta_int(Database& db, std::string_view key) {
    auto st = db.prepare("SELECT value FROM meta WHERE key = ?1");
    st.bind(1, key);
    return st.step() ? st.int64(0) : 0;
}

}  // namespace

TokenStore::TokenStore(const std::filesystem::path& data_dir,
                       std::chrono::milliseconds busy_timeout)
    : file_(prepare_store_file(data_dir)), db_(file_, busy_timeout) {
    db_.exec("PRAGMA journal_mode = WAL");
    // Revocations must survive a power cut; writes are rare enough for FULL.
    db_.exec("PRAGMA synchronous = FULL");
    migrate_schema(db_);
}

std::optional<std::string> TokenStore::key_fingerprint() {
    auto st = db_.prepare("SELECT value FROM meta WHERE key = 'key_fingerprint'");
    if (!st.step()) return std::nullopt;
    return st.text(0);
}

std::string TokenStore::remember_key_fingerprint(const std::string& fingerprint) {
    Transaction tx(db_, Transaction::Kind::write);
    auto st = db_.prepare("INSERT OR IGNORE INTO meta (key, value) VALUES ('key_fingerprint', ?1)");
    st.bind(1, std::string_view(fingerprint)).run();
    auto stored = key_fingerprint();
    tx.commit();
    return stored.value_or(fingerprint);
}

void TokenStore::forget_key_fingerprint() {
    Transaction tx(db_, Transaction::Kind::write);
    db_.exec("DELETE FROM meta WHERE key = 'key_fingerprint'");
    tx.commit();
}

std::int64_t TokenStore::bump_revision() {
    auto st =
        db_.prepare("UPDATE meta SET value = value + 1 WHERE key = 'revision' RETURNING value");
    if (!st.step()) throw std::runtime_error("tokens.db has no revision counter");
    const auto revision = st.int64(0);
    st.reset();
    return revision;
}

void TokenStore::insert_row(Statement& st, const NewToken& t, std::int64_t revision) {
    st.bind(1, std::string_view(t.name))
        .bind_blob(2, t.hash)
        .bind(3, std::string_view(servers_json(t.allowed_servers)))
        .bind(4, permission_level(t.permission))
        .bind(5, to_unix(t.created_at))
        .bind(6, to_unix(t.expires_at))
        .bind(7, revision);
    if (t.limits.requests_per_second) st.bind(8, *t.limits.requests_per_second);
    if (t.limits.burst) st.bind(9, static_cast<std::int64_t>(*t.limits.burst));
    if (t.limits.max_concurrent) st.bind(10, static_cast<std::int64_t>(*t.limits.max_concurrent));
    try {
        st.run();
    } catch (const SqliteError& e) {
        st.reset();
        if ((e.code() & 0xff) == SQLITE_CONSTRAINT && find(t.name)) {
            throw DuplicateTokenName("a token named '" + t.name + "' already exists");
        }
        throw;
    }
}

TokenRecord TokenStore::insert(const NewToken& token) {
    Transaction tx(db_, Transaction::Kind::write);
    if (find(token.name))
        throw DuplicateTokenName("a token named '" + token.name + "' already exists");
    const auto revision = bump_revision();
    auto st = db_.prepare(
        "INSERT INTO tokens (name, hash, servers, permission, created_at, expires_at, revision, "
        "requests_per_second, burst, max_concurrent) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, "
        "?10)");
    insert_row(st, token, revision);
    const auto id = db_.last_insert_rowid();
    auto read = db_.prepare(select_sql("WHERE id = ?1"));
    read.bind(1, id);
    if (!read.step()) throw std::runtime_error("inserted token vanished");
    auto record = read_record(read);
    read.reset();
    tx.commit();
    return record;
}

void TokenStore::insert_many(const std::vector<NewToken>& tokens) {
    Transaction tx(db_, Transaction::Kind::write);
    const auto revision = bump_revision();
    auto st = db_.prepare(
        "INSERT INTO tokens (name, hash, servers, permission, created_at, expires_at, revision, "
        "requests_per_second, burst, max_concurrent) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, "
        "?10)");
    for (const auto& t : tokens) insert_row(st, t, revision);
    tx.commit();
}

std::optional<TokenRecord> TokenStore::find(std::string_view name) {
    auto st = db_.prepare(select_sql("WHERE name = ?1"));
    st.bind(1, name);
    if (!st.step()) return std::nullopt;
    return read_record(st);
}

std::vector<TokenRecord> TokenStore::list() {
    auto st = db_.prepare(select_sql("ORDER BY name"));
    std::vector<TokenRecord> out;
    while (st.step()) out.push_back(read_record(st));
    return out;
}

std::int64_t TokenStore::count() {
    auto st = db_.prepare("SELECT count(*) FROM tokens");
    return st.step() ? st.int64(0) : 0;
}

RevokeOutcome TokenStore::revoke(std::string_view name, Seconds now) {
    Transaction tx(db_, Transaction::Kind::write);
    const auto existing = find(name);
    if (!existing) return RevokeOutcome::not_found;
    if (existing->revoked()) return RevokeOutcome::already_revoked;
    const auto revision = bump_revision();
    auto st = db_.prepare("UPDATE tokens SET revoked_at = ?1, revision = ?2 WHERE id = ?3");
    st.bind(1, to_unix(now)).bind(2, revision).bind(3, existing->id).run();
    tx.commit();
    return RevokeOutcome::revoked;
}

bool TokenStore::remove(std::string_view name, Seconds now) {
    Transaction tx(db_, Transaction::Kind::write);
    const auto existing = find(name);
    if (!existing) return false;
    const auto revision = bump_revision();
    db_.prepare("DELETE FROM tokens WHERE id = ?1").bind(1, existing->id).run();
    db_.prepare(
           "INSERT OR REPLACE INTO deleted_tokens (id, revision, deleted_at) VALUES (?1, ?2, ?3)")
        .bind(1, existing->id)
        .bind(2, revision)
        .bind(3, to_unix(now))
        .run();
    // Old tombstones go; remember how far, so a view that slept through them reloads fully.
    const auto cutoff = to_unix(now - kTombstoneRetention);
    auto newest = db_.prepare("SELECT max(revision) FROM deleted_tokens WHERE deleted_at < ?1");
    newest.bind(1, cutoff);
    if (newest.step() && !newest.is_null(0)) {
        const auto pruned_through = newest.int64(0);
        newest.reset();
        db_.prepare("DELETE FROM deleted_tokens WHERE revision <= ?1")
            .bind(1, pruned_through)
            .run();
        db_.prepare(
               "UPDATE meta SET value = max(value, ?1) WHERE key = 'tombstones_pruned_through'")
            .bind(1, pruned_through)
            .run();
    }
    tx.commit();
    return true;
}

std::pair<ReplaceOutcome, std::optional<TokenRecord>> TokenStore::replace_secret(
    std::string_view name, const ReplaceSecretRequest& r) {
    Transaction tx(db_, Transaction::Kind::write);
    const auto existing = find(name);
    if (!existing) return {ReplaceOutcome::not_found, std::nullopt};
    if (existing->revoked()) return {ReplaceOutcome::revoked, existing};
    const Seconds expires_at = r.new_expires_at.value_or(existing->expires_at);
    if (expires_at <= r.now) return {ReplaceOutcome::expired, existing};
    const auto revision = bump_revision();
    auto st = db_.prepare(
        "UPDATE tokens SET hash = ?1, previous_hash = ?2, previous_valid_until = ?3, expires_at = "
        "?4, "
        "revision = ?5 WHERE id = ?6");
    st.bind_blob(1, r.new_hash);
    if (r.grace.count() > 0) {
        st.bind_blob(2, existing->hash).bind(3, to_unix(r.now + r.grace));
    } else {
        st.bind_null(2).bind_null(3);
    }
    st.bind(4, to_unix(expires_at)).bind(5, revision).bind(6, existing->id).run();
    auto updated = find(name);
    tx.commit();
    return {ReplaceOutcome::replaced, std::move(updated)};
}

ChangeSet TokenStore::changes_since(std::int64_t revision) {
    // One read transaction: the rows, the tombstones and the revision are one consistent snapshot.
    Transaction tx(db_, Transaction::Kind::read);
    ChangeSet changes;
    changes.revision = meta_int(db_, "revision");
    changes.full = revision <= 0 || revision < meta_int(db_, "tombstones_pruned_through") ||
                   revision > changes.revision;
    if (changes.full) {
        auto st = db_.prepare(select_sql(""));
        while (st.step()) changes.rows.push_back(read_record(st));
    } else if (revision < changes.revision) {
        auto st = db_.prepare(select_sql("WHERE revision > ?1"));
        st.bind(1, revision);
        while (st.step()) changes.rows.push_back(read_record(st));
        auto gone = db_.prepare("SELECT id FROM deleted_tokens WHERE revision > ?1");
        gone.bind(1, revision);
        while (gone.step()) changes.deleted_ids.push_back(gone.int64(0));
    }
    tx.commit();
    return changes;
}

std::int64_t TokenStore::data_version() {
    auto st = db_.prepare("PRAGMA data_version");
    return st.step() ? st.int64(0) : 0;
}

void TokenStore::record_last_used(const std::vector<std::pair<std::int64_t, Seconds>>& uses) {
    if (uses.empty()) return;
    Transaction tx(db_, Transaction::Kind::write);
    auto st = db_.prepare(
        "UPDATE tokens SET last_used_at = ?2 WHERE id = ?1 AND (last_used_at IS NULL OR "
        "last_used_at < ?2)");
    for (const auto& [id, at] : uses) st.bind(1, id).bind(2, to_unix(at)).run();
    tx.commit();
}

}  // namespace mcpproxy::agent_token
