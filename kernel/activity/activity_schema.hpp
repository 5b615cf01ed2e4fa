#pragma once

#include <span>
#include <string_view>

namespace mcpproxy::activity {

class SqliteConnection;

// One step of the schema history; `version` is what PRAGMA user_version holds once it is applied.
struct Migration {
    int version;
    std::string_view sql;
};

// Every migration in order. Append new ones; never edit an applied one.
std::span<const Migration> activity_migrations();
int latest_activity_schema_version();

int read_schema_version(SqliteConnection& db);
// Brings the database to the latest version, each step in its own transaction. Safe when several
// processes open the same file at once. Throws std::runtime_error when the file is newer than us.
void migrate_activity_schema(SqliteConnection& db);

}  // namespace mcpproxy::activity
