#include "kernel/activity/activity_schema.hpp"

#include <stdexcept>
#include <string>

#include "kernel/activity/sqlite_connection.hpp"

namespace mcpproxy::activity {
namespace {

// time_us and latency_us are microseconds (since the Unix epoch, UTC, for time_us). The
// composite indexes end in time_us so a filtered, newest-first listing walks one index.
constexpr std::string_view kCreateV1 = R"sql(
CREATE TABLE activity (
    id             INTEGER PRIMARY KEY,
    time_us        INTEGER NOT NULL,
    request_id     TEXT    NOT NULL,
    identity_name  TEXT    NOT NULL,
    identity_kind  TEXT    NOT NULL,
    client_address TEXT    NOT NULL,
    listener       TEXT    NOT NULL,
    method         TEXT    NOT NULL,
    server         TEXT    NOT NULL,
    tool           TEXT    NOT NULL,
    decision       TEXT    NOT NULL,
    reason         TEXT    NOT NULL,
    http_status    INTEGER NOT NULL,
    jsonrpc_error  INTEGER,
    latency_us     INTEGER NOT NULL,
    bytes_in       INTEGER NOT NULL,
    bytes_out      INTEGER NOT NULL,
    arguments      TEXT
);
CREATE INDEX activity_by_time ON activity(time_us);
CREATE INDEX activity_by_identity ON activity(identity_name, time_us);
CREATE INDEX activity_by_server ON activity(server, time_us);
CREATE INDEX activity_by_decision ON activity(decision, time_us);
)sql";

constexpr Migration kMigrations[] = {
    {1, kCreateV1},
};

}  // namespace

std::span<const Migration> activity_migrations() {
    return kMigrations;
}

int latest_activity_schema_version() {
    return activity_migrations().back().version;
}

int read_schema_version(SqliteConnection& db) {
    auto stmt = db.prepare("PRAGMA user_version");
    return stmt.step() ? static_cast<int>(stmt.column_int64(0)) : 0;
}

void migrate_activity_schema(SqliteConnection& db) {
    const int latest = latest_activity_schema_version();
    for (const Migration& migration : activity_migrations()) {
        // IMMEDIATE takes the write lock before reading the version, so two processes starting
        // together cannot both apply the same step.
        db.exec("BEGIN IMMEDIATE");
        try {
            const int current = read_schema_version(db);
            if (current > latest) {
                throw std::runtime_error("activity log schema version " + std::to_string(current) +
                                         " is newer than this mcpproxy supports (" +
                                         std::to_string(latest) + "); upgrade mcpproxy");
            }
            if (current < migration.version) {
                db.exec(std::string(migration.sql).c_str());
                db.exec(("PRAGMA user_version = " + std::to_string(migration.version)).c_str());
            }
            db.exec("COMMIT");
        } catch (...) {
            db.rollback_quietly();
            throw;
        }
    }
}

}  // namespace mcpproxy::activity
