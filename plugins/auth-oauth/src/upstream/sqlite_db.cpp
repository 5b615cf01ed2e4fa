#include "upstream/sqlite_db.hpp"

#include <sqlite3.h>

#include <climits>

namespace mcpproxy::oauth {
namespace {

[[noreturn]] void fail(sqlite3* db, int code, std::string_view what) {
    std::string message = "oauth token store: ";
    message += what;
    message += ": ";
    message += db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(code);
    throw std::runtime_error(message);
}

}  // namespace

SqlStatement::SqlStatement(sqlite3* db, std::string_view sql) : db_(db) {
    if (sql.size() > static_cast<std::size_t>(INT_MAX)) fail(db, SQLITE_TOOBIG, "SQL too long");
    const int rc =
        sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &stmt_, nullptr);
    if (rc != SQLITE_OK) fail(db, rc, "cannot prepare statement");
}

SqlStatement::~SqlStatement() {
    sqlite3_finalize(stmt_);
}

SqlStatement& SqlStatement::bind(int index, std::int64_t value) {
    const int rc = sqlite3_bind_int64(stmt_, index, value);
    if (rc != SQLITE_OK) fail(db_, rc, "bind");
    return *this;
}

SqlStatement& SqlStatement::bind(int index, std::string_view text) {
    const int rc = text.empty() ? sqlite3_bind_null(stmt_, index)
                                : sqlite3_bind_text64(stmt_, index, text.data(), text.size(),
                                                      SQLITE_TRANSIENT, SQLITE_UTF8);
    if (rc != SQLITE_OK) fail(db_, rc, "bind");
    return *this;
}

bool SqlStatement::step() {
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    sqlite3_reset(stmt_);
    fail(db_, rc, "statement failed");
}

void SqlStatement::run() {
    while (step()) {
    }
}

std::int64_t SqlStatement::int64(int column) const {
    return sqlite3_column_int64(stmt_, column);
}

std::string SqlStatement::text(int column) const {
    const auto* p = sqlite3_column_text(stmt_, column);
    const int n = sqlite3_column_bytes(stmt_, column);
    return p != nullptr ? std::string(reinterpret_cast<const char*>(p), static_cast<std::size_t>(n))
                        : std::string();
}

SqlDatabase::SqlDatabase(const std::filesystem::path& file) {
    const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOFOLLOW | SQLITE_OPEN_FULLMUTEX;
    const int rc = sqlite3_open_v2(file.c_str(), &db_, flags, nullptr);
    if (rc != SQLITE_OK) {
        std::string message = "oauth token store: cannot open " + file.string() + ": " +
                              (db_ != nullptr ? sqlite3_errmsg(db_) : sqlite3_errstr(rc));
        sqlite3_close(db_);
        db_ = nullptr;
        throw std::runtime_error(message);
    }
    sqlite3_extended_result_codes(db_, 1);
    sqlite3_busy_timeout(db_, 5'000);
}

SqlDatabase::~SqlDatabase() {
    sqlite3_close_v2(db_);
}

void SqlDatabase::exec(const std::string& sql) {
    char* error = nullptr;
    const int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &error);
    if (rc != SQLITE_OK) {
        std::string message =
            std::string("oauth token store: ") + (error != nullptr ? error : sqlite3_errstr(rc));
        sqlite3_free(error);
        throw std::runtime_error(message);
    }
}

int SqlDatabase::changes() const {
    return sqlite3_changes(db_);
}

SqlWriteTransaction::SqlWriteTransaction(SqlDatabase& db) : db_(db) {
    db_.exec("BEGIN IMMEDIATE");
}

SqlWriteTransaction::~SqlWriteTransaction() {
    if (!open_) return;
    try {
        db_.exec("ROLLBACK");
    } catch (...) {
        // A failed statement may already have ended the transaction; nothing left to undo.
    }
}

void SqlWriteTransaction::commit() {
    db_.exec("COMMIT");
    open_ = false;
}

}  // namespace mcpproxy::oauth
