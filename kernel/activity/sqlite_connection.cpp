#include "kernel/activity/sqlite_connection.hpp"

#include <sqlite3.h>

#include <utility>

#include "kernel/activity/store_error.hpp"

namespace mcpproxy::activity {
namespace {

StoreErrorKind classify(int code) {
    switch (code & 0xff) {
        case SQLITE_BUSY:
        case SQLITE_LOCKED:
            return StoreErrorKind::busy;
        case SQLITE_FULL:
            return StoreErrorKind::full;
        case SQLITE_READONLY:
        case SQLITE_PERM:
        case SQLITE_AUTH:
            return StoreErrorKind::read_only;
        case SQLITE_IOERR:
        case SQLITE_CANTOPEN:
        case SQLITE_PROTOCOL:
        case SQLITE_NOMEM:
            return StoreErrorKind::io;
        case SQLITE_CORRUPT:
        case SQLITE_NOTADB:
            return StoreErrorKind::corrupt;
        case SQLITE_TOOBIG:
        case SQLITE_CONSTRAINT:
        case SQLITE_MISMATCH:
        case SQLITE_RANGE:
            return StoreErrorKind::invalid_record;
        default:
            return StoreErrorKind::other;
    }
}

}  // namespace

void throw_sqlite_error(sqlite3* db, int code, std::string_view what) {
    // The connection's message is more specific than sqlite3_errstr, but only when it belongs to
    // this code (a failed open leaves no usable connection message).
    const bool has_db_message = db != nullptr && sqlite3_extended_errcode(db) == code;
    std::string message(what);
    message += ": ";
    message += has_db_message ? sqlite3_errmsg(db) : sqlite3_errstr(code);
    message += " (SQLite code " + std::to_string(code) + ")";
    throw StoreError(classify(code), code, message);
}

SqliteConnection::SqliteConnection(const std::filesystem::path& path, const OpenOptions& options) {
    int flags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_NOFOLLOW | SQLITE_OPEN_EXRESCODE;
    flags |= options.read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
    const int rc = sqlite3_open_v2(path.c_str(), &db_, flags,
                                   options.vfs.empty() ? nullptr : options.vfs.c_str());
    if (rc != SQLITE_OK) {
        sqlite3* failed = std::exchange(db_, nullptr);
        try {
            throw_sqlite_error(failed, rc, "cannot open " + path.string());
        } catch (...) {
            sqlite3_close(failed);
            throw;
        }
    }
    sqlite3_extended_result_codes(db_, 1);
}

SqliteConnection::~SqliteConnection() {
    // Statements are owned by their users and finalized before the connection goes away.
    sqlite3_close(db_);
}

void SqliteConnection::exec(const char* sql) {
    const int rc = sqlite3_exec(db_, sql, nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK) throw_sqlite_error(db_, rc, sql);
}

SqliteStatement SqliteConnection::prepare(std::string_view sql) {
    sqlite3_stmt* stmt = nullptr;
    const int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                      SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (rc != SQLITE_OK) throw_sqlite_error(db_, rc, "prepare");
    return SqliteStatement(db_, stmt);
}

void SqliteConnection::set_busy_timeout(int milliseconds) {
    sqlite3_busy_timeout(db_, milliseconds);
}

void SqliteConnection::rollback_quietly() noexcept {
    if (sqlite3_get_autocommit(db_) == 0) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
}

std::int64_t SqliteConnection::changes() const {
    return sqlite3_changes64(db_);
}

SqliteStatement::~SqliteStatement() {
    sqlite3_finalize(stmt_);
}

SqliteStatement::SqliteStatement(SqliteStatement&& other) noexcept
    : db_(other.db_), stmt_(std::exchange(other.stmt_, nullptr)) {}

SqliteStatement& SqliteStatement::operator=(SqliteStatement&& other) noexcept {
    if (this != &other) {
        sqlite3_finalize(stmt_);
        db_ = other.db_;
        stmt_ = std::exchange(other.stmt_, nullptr);
    }
    return *this;
}

void SqliteStatement::bind(int index, std::string_view text) {
    const int rc =
        sqlite3_bind_text64(stmt_, index, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
    if (rc != SQLITE_OK) throw_sqlite_error(db_, rc, "bind");
}

void SqliteStatement::bind(int index, std::int64_t value) {
    const int rc = sqlite3_bind_int64(stmt_, index, value);
    if (rc != SQLITE_OK) throw_sqlite_error(db_, rc, "bind");
}

void SqliteStatement::bind_null(int index) {
    const int rc = sqlite3_bind_null(stmt_, index);
    if (rc != SQLITE_OK) throw_sqlite_error(db_, rc, "bind");
}

bool SqliteStatement::step() {
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    throw_sqlite_error(db_, rc, "step");
}

void SqliteStatement::reset() noexcept {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
}

std::int64_t SqliteStatement::column_int64(int index) const {
    return sqlite3_column_int64(stmt_, index);
}

std::string SqliteStatement::column_text(int index) const {
    const auto* text = sqlite3_column_text(stmt_, index);
    if (text == nullptr) return {};
    const auto size = static_cast<std::size_t>(sqlite3_column_bytes(stmt_, index));
    return std::string(reinterpret_cast<const char*>(text), size);
}

bool SqliteStatement::column_is_null(int index) const {
    return sqlite3_column_type(stmt_, index) == SQLITE_NULL;
}

}  // namespace mcpproxy::activity
