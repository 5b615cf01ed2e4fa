#pragma once

namespace mcpproxy::activity::test {

// An SQLite VFS that wraps the default one and can make every write and truncate fail with a
// chosen result code, the way a full disk (SQLITE_FULL) or a file system remounted read-only
// (SQLITE_IOERR_WRITE) makes them fail. Connections opt in by naming it.
class FaultVfs {
public:
    static constexpr const char* kName = "activity-fault";

    static void install();  // idempotent
    static void fail_writes_with(int sqlite_code);
    static void heal();
};

}  // namespace mcpproxy::activity::test
