#include "upstream/token_store.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace mcpproxy::oauth {
namespace {

struct Migration {
    int version;
    const char* sql;
};

// Append only: never edit a migration that has shipped.
constexpr Migration kMigrations[] = {
    {1, R"sql(
CREATE TABLE tokens (
    server              TEXT PRIMARY KEY,
    issuer              TEXT NOT NULL,
    resource            TEXT NOT NULL,
    send_resource       INTEGER NOT NULL,
    token_endpoint      TEXT NOT NULL,
    revocation_endpoint TEXT,
    client_id           TEXT NOT NULL,
    client_secret       TEXT,
    auth_method         TEXT,
    access_token        TEXT,
    refresh_token       TEXT,
    scope               TEXT,
    obtained_at         INTEGER NOT NULL,
    expires_at          INTEGER NOT NULL,
    login_needed        TEXT
) STRICT;
CREATE TABLE clients (
    server        TEXT PRIMARY KEY,
    issuer        TEXT NOT NULL,
    redirect_uri  TEXT NOT NULL,
    client_id     TEXT NOT NULL,
    client_secret TEXT,
    auth_method   TEXT
) STRICT;
)sql"},
};

constexpr int kLatestVersion = 1;

constexpr const char* kTokenColumns =
    "server, issuer, resource, send_resource, token_endpoint, revocation_endpoint, client_id, "
    "client_secret, auth_method, access_token, refresh_token, scope, obtained_at, expires_at, "
    "login_needed";

TokenRecord read_token(const SqlStatement& st) {
    TokenRecord r;
    r.server = st.text(0);
    r.issuer = st.text(1);
    r.resource = st.text(2);
    r.send_resource = st.int64(3) != 0;
    r.token_endpoint = st.text(4);
    r.revocation_endpoint = st.text(5);
    r.client_id = st.text(6);
    r.client_secret = st.text(7);
    r.auth_method = st.text(8);
    r.access_token = st.text(9);
    r.refresh_token = st.text(10);
    r.scope = st.text(11);
    r.obtained_at = st.int64(12);
    r.expires_at = st.int64(13);
    r.login_needed = st.text(14);
    return r;
}

void bind_token(SqlStatement& st, const TokenRecord& r) {
    st.bind(1, r.server)
        .bind(2, r.issuer)
        .bind(3, r.resource)
        .bind(4, std::int64_t{r.send_resource ? 1 : 0})
        .bind(5, r.token_endpoint)
        .bind(6, r.revocation_endpoint)
        .bind(7, r.client_id)
        .bind(8, r.client_secret)
        .bind(9, r.auth_method)
        .bind(10, r.access_token)
        .bind(11, r.refresh_token)
        .bind(12, r.scope)
        .bind(13, r.obtained_at)
        .bind(14, r.expires_at)
        .bind(15, r.login_needed);
}

// Inserts or replaces the server's row; the caller holds the write transaction.
void write_token(SqlDatabase& db, const TokenRecord& record) {
    auto st = db.prepare(std::string("INSERT OR REPLACE INTO tokens (") + kTokenColumns +
                         ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, "
                         "?14, ?15)");
    bind_token(st, record);
    st.run();
}

int user_version(const SqlDatabase& db) {
    auto st = db.prepare("PRAGMA user_version");
    return st.step() ? static_cast<int>(st.int64(0)) : 0;
}

void migrate(SqlDatabase& db) {
    if (user_version(db) == kLatestVersion) return;
    SqlWriteTransaction tx(db);
    const int current = user_version(db);
    if (current > kLatestVersion) {
        throw std::runtime_error(std::string(kTokenStoreFileName) + " has schema version " +
                                 std::to_string(current) + ", newer than this build understands (" +
                                 std::to_string(kLatestVersion) + "); upgrade mcpproxy");
    }
    for (const auto& m : kMigrations) {
        if (m.version <= current) continue;
        db.exec(m.sql);
        db.exec("PRAGMA user_version = " + std::to_string(m.version));
    }
    tx.commit();
}

std::filesystem::path prepare(const std::filesystem::path& data_dir) {
    std::error_code ec;
    std::filesystem::create_directories(data_dir, ec);
    if (ec) throw std::runtime_error("cannot create " + data_dir.string() + ": " + ec.message());
    auto file = data_dir / kTokenStoreFileName;
    ensure_private_file(file);
    return file;
}

}  // namespace

void ensure_private_file(const std::filesystem::path& file) {
    const int fd = ::open(file.c_str(), O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0) {
        throw std::runtime_error("cannot create " + file.string() + ": " + std::strerror(errno));
    }
    struct stat st {};
    const bool regular = ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
    const bool tightened = regular && ::fchmod(fd, 0600) == 0;
    ::close(fd);
    if (!regular) throw std::runtime_error(file.string() + " is not a regular file");
    if (!tightened) {
        throw std::runtime_error("cannot set mode 0600 on " + file.string() + ": " +
                                 std::strerror(errno));
    }
}

TokenStore::TokenStore(const std::filesystem::path& data_dir)
    : file_(prepare(data_dir)), db_(file_) {
    db_.exec("PRAGMA journal_mode = WAL");
    // A refresh grant may rotate the refresh token and retire the old one at the authorization
    // server: losing the new one to a power cut would mean logging in again. Writes are rare.
    db_.exec("PRAGMA synchronous = FULL");
    migrate(db_);
}

std::int64_t TokenStore::data_version() const {
    auto st = db_.prepare("PRAGMA data_version");
    return st.step() ? st.int64(0) : -1;
}

std::vector<TokenRecord> TokenStore::tokens() const {
    auto st = db_.prepare(std::string("SELECT ") + kTokenColumns + " FROM tokens ORDER BY server");
    std::vector<TokenRecord> out;
    while (st.step()) out.push_back(read_token(st));
    return out;
}

std::optional<TokenRecord> TokenStore::token(const std::string& server) const {
    auto st =
        db_.prepare(std::string("SELECT ") + kTokenColumns + " FROM tokens WHERE server = ?1");
    st.bind(1, server);
    if (!st.step()) return std::nullopt;
    return read_token(st);
}

void TokenStore::put_token(const TokenRecord& record) {
    SqlWriteTransaction tx(db_);
    write_token(db_, record);
    tx.commit();
}

bool TokenStore::replace_token_if(const std::string& expected_refresh, const TokenRecord& record) {
    SqlWriteTransaction tx(db_);
    const auto current = token(record.server);
    if (!current || current->refresh_token != expected_refresh) return false;
    write_token(db_, record);
    tx.commit();
    return true;
}

bool TokenStore::mark_login_needed_if(const std::string& server,
                                      const std::string& expected_refresh,
                                      const std::string& reason) {
    SqlWriteTransaction tx(db_);
    auto st = db_.prepare(
        "UPDATE tokens SET login_needed = ?2, refresh_token = NULL "
        "WHERE server = ?1 AND refresh_token IS ?3");
    st.bind(1, server).bind(2, reason).bind(3, expected_refresh);
    st.run();
    const bool changed = db_.changes() > 0;
    tx.commit();
    return changed;
}

bool TokenStore::delete_token(const std::string& server) {
    SqlWriteTransaction tx(db_);
    auto st = db_.prepare("DELETE FROM tokens WHERE server = ?1");
    st.bind(1, server);
    st.run();
    const bool changed = db_.changes() > 0;
    tx.commit();
    return changed;
}

std::optional<ClientRecord> TokenStore::client(const std::string& server) const {
    auto st = db_.prepare(
        "SELECT server, issuer, redirect_uri, client_id, client_secret, auth_method FROM clients "
        "WHERE server = ?1");
    st.bind(1, server);
    if (!st.step()) return std::nullopt;
    return ClientRecord{st.text(0), st.text(1), st.text(2), st.text(3), st.text(4), st.text(5)};
}

void TokenStore::put_client(const ClientRecord& r) {
    SqlWriteTransaction tx(db_);
    auto st = db_.prepare(
        "INSERT OR REPLACE INTO clients (server, issuer, redirect_uri, client_id, client_secret, "
        "auth_method) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    st.bind(1, r.server)
        .bind(2, r.issuer)
        .bind(3, r.redirect_uri)
        .bind(4, r.client_id)
        .bind(5, r.client_secret)
        .bind(6, r.auth_method);
    st.run();
    tx.commit();
}

}  // namespace mcpproxy::oauth
