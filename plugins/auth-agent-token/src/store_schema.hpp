#pragma once

#include "sqlite_handle.hpp"

namespace mcpproxy::agent_token {

// The newest schema version this build knows (stored in PRAGMA user_version).
[[nodiscard]] int latest_schema_version() noexcept;

// Brings the database to the latest schema in one write transaction. Throws when the file was
// written by a newer build (its user_version is higher than latest_schema_version()).
void migrate_schema(Database& db);

}  // namespace mcpproxy::agent_token
