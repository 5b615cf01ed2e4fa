#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace mcpproxy::activity {

// Maps an SQLite result code to a backend-neutral StoreError and throws it.
[[noreturn]] void throw_sqlite_error(sqlite3* db, int code, std::string_view what);

class SqliteStatement;

// One SQLite connection (RAII). Not thread-safe: the owner serialises access.
class SqliteConnection {
public:
    struct OpenOptions {
        bool read_only = false;
        std::string vfs{};  // empty = SQLite's default
    };

    SqliteConnection(const std::filesystem::path& path, const OpenOptions& options);
    ~SqliteConnection();
    SqliteConnection(const SqliteConnection&) = delete;
    SqliteConnection& operator=(const SqliteConnection&) = delete;

    void exec(const char* sql);
    SqliteStatement prepare(std::string_view sql);
    void set_busy_timeout(int milliseconds);
    // Rolls back an open transaction, if any; never throws (used on error paths).
    void rollback_quietly() noexcept;
    std::int64_t changes() const;

    sqlite3* handle() const noexcept { return db_; }

private:
    sqlite3* db_ = nullptr;
};

// A prepared statement (RAII). Bind indexes start at 1, column indexes at 0.
class SqliteStatement {
public:
    SqliteStatement(sqlite3* db, sqlite3_stmt* stmt) noexcept : db_(db), stmt_(stmt) {}
    ~SqliteStatement();
    SqliteStatement(SqliteStatement&& other) noexcept;
    SqliteStatement& operator=(SqliteStatement&& other) noexcept;
    SqliteStatement(const SqliteStatement&) = delete;
    SqliteStatement& operator=(const SqliteStatement&) = delete;

    void bind(int index, std::string_view text);
    void bind(int index, std::int64_t value);
    void bind_null(int index);
    // Runs one step: true when a row is available, false when done.
    bool step();
    // Makes the statement reusable and clears its bindings.
    void reset() noexcept;

    std::int64_t column_int64(int index) const;
    std::string column_text(int index) const;
    bool column_is_null(int index) const;

private:
    sqlite3* db_;
    sqlite3_stmt* stmt_;
};

}  // namespace mcpproxy::activity
