#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

struct sqlite3;
struct sqlite3_stmt;

namespace mcpproxy::agent_token {

class SqliteError : public std::runtime_error {
public:
    SqliteError(const std::string& message, int code) : std::runtime_error(message), code_(code) {}
    [[nodiscard]] int code() const noexcept { return code_; }

private:
    int code_;
};

// A prepared statement; bind indexes start at 1, column indexes at 0.
class Statement {
public:
    Statement(sqlite3* db, std::string_view sql);
    ~Statement();
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    Statement& bind(int index, std::int64_t value);
    Statement& bind(int index, double value);
    Statement& bind(int index, std::string_view text);
    Statement& bind_blob(int index, std::span<const unsigned char> bytes);
    Statement& bind_null(int index);

    // Steps once: true when a row is available, false when done.
    bool step();
    // Steps to completion and resets, for statements that return no rows.
    void run();
    void reset();

    [[nodiscard]] bool is_null(int column) const;
    [[nodiscard]] std::int64_t int64(int column) const;
    [[nodiscard]] double real(int column) const;
    [[nodiscard]] std::string text(int column) const;
    [[nodiscard]] std::vector<unsigned char> blob(int column) const;

private:
    sqlite3* db_;
    sqlite3_stmt* stmt_ = nullptr;
};

// One SQLite connection. Not thread-safe: use each connection from one thread at a time.
class Database {
public:
    // Opens an existing file read-write (never creates it; the caller creates it with the right
    // mode).
    Database(const std::filesystem::path& file, std::chrono::milliseconds busy_timeout);
    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    void exec(const char* sql);
    [[nodiscard]] Statement prepare(std::string_view sql) { return Statement(db_, sql); }
    [[nodiscard]] std::int64_t last_insert_rowid() const;
    [[nodiscard]] int changes() const;

private:
    sqlite3* db_ = nullptr;
};

// BEGIN IMMEDIATE (write) or BEGIN (read) ... COMMIT; rolls back when destroyed uncommitted.
class Transaction {
public:
    enum class Kind { read, write };
    Transaction(Database& db, Kind kind);
    ~Transaction();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    void commit();

private:
    Database& db_;
    bool open_ = true;
};

}  // namespace mcpproxy::agent_token
