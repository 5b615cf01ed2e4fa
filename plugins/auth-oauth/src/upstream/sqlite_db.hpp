#pragma once

#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace mcpproxy::oauth {

// A prepared statement; bind indexes start at 1, column indexes at 0.
class SqlStatement {
public:
    SqlStatement(sqlite3* db, std::string_view sql);
    ~SqlStatement();
    SqlStatement(const SqlStatement&) = delete;
    SqlStatement& operator=(const SqlStatement&) = delete;

    SqlStatement& bind(int index, std::int64_t value);
    SqlStatement& bind(int index, std::string_view text);  // empty text binds NULL
    bool step();                                           // true: a row is available
    void run();                                            // steps to completion

    [[nodiscard]] std::int64_t int64(int column) const;
    [[nodiscard]] std::string text(int column) const;  // "" for NULL

private:
    sqlite3* db_;
    sqlite3_stmt* stmt_ = nullptr;
};

// One SQLite connection (serialized mode, so one connection may be shared by threads).
class SqlDatabase {
public:
    explicit SqlDatabase(const std::filesystem::path& file);
    ~SqlDatabase();
    SqlDatabase(const SqlDatabase&) = delete;
    SqlDatabase& operator=(const SqlDatabase&) = delete;

    void exec(const std::string& sql);
    [[nodiscard]] SqlStatement prepare(std::string_view sql) const { return {db_, sql}; }
    [[nodiscard]] int changes() const;

private:
    sqlite3* db_ = nullptr;
};

// BEGIN IMMEDIATE ... COMMIT; rolls back when destroyed uncommitted.
class SqlWriteTransaction {
public:
    explicit SqlWriteTransaction(SqlDatabase& db);
    ~SqlWriteTransaction();
    SqlWriteTransaction(const SqlWriteTransaction&) = delete;
    SqlWriteTransaction& operator=(const SqlWriteTransaction&) = delete;
    void commit();

private:
    SqlDatabase& db_;
    bool open_ = true;
};

}  // namespace mcpproxy::oauth
