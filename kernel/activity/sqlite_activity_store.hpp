#pragma once

#include <chrono>
#include <filesystem>
#include <initializer_list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "kernel/activity/activity_store.hpp"

namespace mcpproxy::activity {

class SqliteConnection;
class SqliteStatement;

struct SqliteStoreOptions {
    // For `mcpproxy activity list|export`: never creates, migrates or writes the file.
    bool read_only = false;
    // How long a write waits for another process's lock before failing with StoreErrorKind::busy.
    std::chrono::milliseconds busy_timeout{5000};
    // Name of a registered SQLite VFS; empty = the default. Lets tests inject disk faults.
    std::string vfs{};
};

// The embedded store: <data_dir>/activity.db, created 0600, WAL with synchronous=NORMAL (a
// committed batch survives a process crash; the file is never left corrupt), schema migrated
// through PRAGMA user_version. Writes and reads use separate connections so a long export
// never holds up the writer.
class SqliteActivityStore final : public ActivityStore {
public:
    static constexpr const char* kFileName = "activity.db";

    // Throws StoreError or std::runtime_error with the path when the store cannot be opened.
    explicit SqliteActivityStore(const std::filesystem::path& data_dir,
                                 SqliteStoreOptions options = {});
    ~SqliteActivityStore() override;

    void insert_batch(std::span<const ActivityRecord> records) override;
    void visit(const ActivityFilter& filter, const Visitor& visitor) override;
    std::uint64_t prune(std::chrono::system_clock::time_point older_than,
                        std::uint64_t max_records) override;
    std::uint64_t prune_oldest(std::uint64_t max_records) override;
    // bytes: the pages of activity.db in use ((page_count - freelist_count) * page_size), i.e.
    // neither free pages (reused by later inserts) nor the -wal file. records: an estimate from
    // the lowest and highest id (ids are dense: only the oldest records are ever deleted).
    std::optional<StoreUsage> usage() override;
    std::uint64_t count() override;

    const std::filesystem::path& path() const noexcept { return path_; }

private:
    // The write connection; throws StoreError(read_only) when the store was opened read-only.
    // Call with write_mutex_ held.
    SqliteConnection& writable();
    // Runs a DELETE with its numeric parameters (?1, ?2, ...) under the write lock; rows deleted.
    std::uint64_t delete_rows(std::string_view sql, std::initializer_list<std::int64_t> numbers);

    std::filesystem::path path_;
    SqliteStoreOptions options_;

    std::mutex write_mutex_;
    std::unique_ptr<SqliteConnection> writer_;  // null when read-only
    std::unique_ptr<SqliteStatement> insert_;

    std::mutex read_mutex_;
    std::unique_ptr<SqliteConnection> reader_;
};

}  // namespace mcpproxy::activity
