#include "kernel/activity/sqlite_activity_store.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <limits>
#include <stdexcept>
#include <vector>

#include "kernel/activity/activity_schema.hpp"
#include "kernel/activity/sqlite_connection.hpp"
#include "kernel/activity/store_error.hpp"

namespace mcpproxy::activity {
namespace {

using std::chrono::system_clock;

constexpr mode_t kPrivateMode = 0600;

constexpr std::string_view kColumns =
    "time_us, request_id, identity_name, identity_kind, client_address, listener, method, "
    "server, tool, decision, reason, http_status, jsonrpc_error, latency_us, bytes_in, bytes_out, "
    "arguments";

std::string insert_sql() {
    return "INSERT INTO activity (" + std::string(kColumns) +
           ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)";
}

std::int64_t to_micros(system_clock::time_point time) {
    return std::chrono::floor<std::chrono::microseconds>(time.time_since_epoch()).count();
}

system_clock::time_point from_micros(std::int64_t micros) {
    return system_clock::time_point(
        std::chrono::duration_cast<system_clock::duration>(std::chrono::microseconds(micros)));
}

std::int64_t saturate(std::uint64_t value) {
    constexpr auto kMax = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
    return static_cast<std::int64_t>(value > kMax ? kMax : value);
}

std::string errno_text() {
    return std::strerror(errno);
}

// The database must never be readable by other users, so it exists with mode 0600 before SQLite
// opens it (SQLite gives its -wal and -shm files the database's mode).
void ensure_private_file(const std::filesystem::path& path, bool create) {
    const int flags = O_RDWR | O_CLOEXEC | O_NOFOLLOW | (create ? O_CREAT : 0);
    const int fd = ::open(path.c_str(), flags, kPrivateMode);
    if (fd < 0) {
        if (!create && errno == ENOENT) return;
        throw std::runtime_error("cannot open activity log " + path.string() + ": " + errno_text());
    }
    struct stat info {};
    std::string problem;
    if (::fstat(fd, &info) != 0) {
        problem = "cannot stat: " + errno_text();
    } else if (!S_ISREG(info.st_mode)) {
        problem = "not a regular file";
    } else if ((info.st_mode & 07777) != kPrivateMode && ::fchmod(fd, kPrivateMode) != 0) {
        problem = "cannot set mode 0600: " + errno_text();
    }
    ::close(fd);
    if (!problem.empty())
        throw std::runtime_error("activity log " + path.string() + ": " + problem);
}

bool switch_to_wal(SqliteConnection& db) {
    auto stmt = db.prepare("PRAGMA journal_mode=WAL");
    return stmt.step() && stmt.column_text(0) == "wal";
}

void bind_record(SqliteStatement& stmt, const ActivityRecord& r) {
    stmt.bind(1, to_micros(r.time));
    stmt.bind(2, r.request_id);
    stmt.bind(3, r.identity_name);
    stmt.bind(4, r.identity_kind);
    stmt.bind(5, r.client_address);
    stmt.bind(6, r.listener);
    stmt.bind(7, r.method);
    stmt.bind(8, r.server);
    stmt.bind(9, r.tool);
    stmt.bind(10, r.decision);
    stmt.bind(11, r.reason);
    stmt.bind(12, std::int64_t{r.http_status});
    if (r.jsonrpc_error) {
        stmt.bind(13, std::int64_t{*r.jsonrpc_error});
    } else {
        stmt.bind_null(13);
    }
    stmt.bind(14, std::int64_t{r.latency.count()});
    stmt.bind(15, saturate(r.bytes_in));
    stmt.bind(16, saturate(r.bytes_out));
    if (r.arguments) {
        stmt.bind(17, *r.arguments);
    } else {
        stmt.bind_null(17);
    }
}

ActivityRecord read_record(const SqliteStatement& stmt) {
    ActivityRecord r;
    r.time = from_micros(stmt.column_int64(0));
    r.request_id = stmt.column_text(1);
    r.identity_name = stmt.column_text(2);
    r.identity_kind = stmt.column_text(3);
    r.client_address = stmt.column_text(4);
    r.listener = stmt.column_text(5);
    r.method = stmt.column_text(6);
    r.server = stmt.column_text(7);
    r.tool = stmt.column_text(8);
    r.decision = stmt.column_text(9);
    r.reason = stmt.column_text(10);
    r.http_status = static_cast<int>(stmt.column_int64(11));
    if (!stmt.column_is_null(12)) r.jsonrpc_error = static_cast<int>(stmt.column_int64(12));
    r.latency = std::chrono::microseconds(stmt.column_int64(13));
    r.bytes_in = static_cast<std::uint64_t>(stmt.column_int64(14));
    r.bytes_out = static_cast<std::uint64_t>(stmt.column_int64(15));
    if (!stmt.column_is_null(16)) r.arguments = stmt.column_text(16);
    return r;
}

// A query whose WHERE clause holds only the filter's set fields, with its values in bind order.
struct BuiltQuery {
    std::string sql;
    std::vector<std::string> texts;
    std::vector<std::int64_t> numbers;  // bound after the texts
};

BuiltQuery build_query(const ActivityFilter& filter) {
    BuiltQuery q;
    q.sql = "SELECT " + std::string(kColumns) + " FROM activity";
    std::vector<std::string> conditions;
    const auto add_text = [&](const std::optional<std::string>& value, const char* column) {
        if (!value) return;
        conditions.push_back(std::string(column) + " = ?");
        q.texts.push_back(*value);
    };
    add_text(filter.identity, "identity_name");
    add_text(filter.server, "server");
    add_text(filter.decision, "decision");
    add_text(filter.method, "method");
    if (filter.since) {
        conditions.emplace_back("time_us >= ?");
        q.numbers.push_back(to_micros(*filter.since));
    }
    if (filter.until) {
        conditions.emplace_back("time_us < ?");
        q.numbers.push_back(to_micros(*filter.until));
    }
    for (std::size_t i = 0; i < conditions.size(); ++i) {
        q.sql += (i == 0 ? " WHERE " : " AND ") + conditions[i];
    }
    q.sql += filter.order == Order::newest_first ? " ORDER BY time_us DESC, id DESC"
                                                 : " ORDER BY time_us ASC, id ASC";
    if (filter.limit > 0) {
        q.sql += " LIMIT ?";
        q.numbers.push_back(saturate(filter.limit));
    }
    return q;
}

}  // namespace

SqliteActivityStore::SqliteActivityStore(const std::filesystem::path& data_dir,
                                         SqliteStoreOptions options)
    : path_(data_dir / kFileName), options_(std::move(options)) {
    std::error_code ec;
    if (!std::filesystem::is_directory(data_dir, ec)) {
        throw std::runtime_error("activity log data directory does not exist: " +
                                 data_dir.string());
    }
    const auto busy_ms = static_cast<int>(options_.busy_timeout.count());

    if (options_.read_only) {
        if (!std::filesystem::exists(path_, ec)) {
            throw std::runtime_error("no activity log at " + path_.string() +
                                     " (the proxy creates it when it first starts)");
        }
    } else {
        ensure_private_file(path_, /*create=*/true);
        ensure_private_file(path_.string() + "-wal", /*create=*/false);
        ensure_private_file(path_.string() + "-shm", /*create=*/false);

        writer_ = std::make_unique<SqliteConnection>(
            path_, SqliteConnection::OpenOptions{.read_only = false, .vfs = options_.vfs});
        writer_->set_busy_timeout(busy_ms);
        if (!switch_to_wal(*writer_)) {
            throw std::runtime_error("activity log " + path_.string() +
                                     ": cannot switch to WAL journal mode");
        }
        // FULL syncs the WAL at every commit, so a batch that committed survives a power loss or
        // kernel crash too, not only a crash of the proxy. Batches commit at most every
        // flush_interval from the writer thread: a few fsyncs a second, none on a request's path.
        writer_->exec("PRAGMA synchronous=FULL");
        // A -wal file that grew while a long export held back checkpoints is cut back to this
        // after the next checkpoint instead of staying large for good.
        writer_->exec("PRAGMA journal_size_limit=16777216");
        migrate_activity_schema(*writer_);
        insert_ = std::make_unique<SqliteStatement>(writer_->prepare(insert_sql()));
    }

    reader_ = std::make_unique<SqliteConnection>(
        path_, SqliteConnection::OpenOptions{.read_only = options_.read_only, .vfs = options_.vfs});
    reader_->set_busy_timeout(busy_ms);
    reader_->exec("PRAGMA query_only=ON");
    if (options_.read_only) {
        const int version = read_schema_version(*reader_);
        const int latest = latest_activity_schema_version();
        if (version != latest) {
            throw std::runtime_error("activity log " + path_.string() + " has schema version " +
                                     std::to_string(version) + "; this mcpproxy reads version " +
                                     std::to_string(latest));
        }
    }
}

SqliteActivityStore::~SqliteActivityStore() = default;

void SqliteActivityStore::insert_batch(std::span<const ActivityRecord> records) {
    if (records.empty()) return;
    std::lock_guard lock(write_mutex_);
    SqliteConnection& writer = writable();
    try {
        writer.exec("BEGIN IMMEDIATE");
        for (const ActivityRecord& record : records) {
            bind_record(*insert_, record);
            insert_->step();
            insert_->reset();
        }
        writer.exec("COMMIT");
    } catch (const StoreError& e) {
        insert_->reset();
        writer.rollback_quietly();
        // Name the file: the message reaches /readyz and the log, where "disk is full" alone
        // does not tell the operator which disk.
        throw StoreError(e.kind(), e.backend_code(), path_.string() + ": " + e.what());
    } catch (...) {
        insert_->reset();
        writer.rollback_quietly();
        throw;
    }
}

void SqliteActivityStore::visit(const ActivityFilter& filter, const Visitor& visitor) {
    const BuiltQuery query = build_query(filter);
    std::lock_guard lock(read_mutex_);
    auto stmt = reader_->prepare(query.sql);
    int index = 1;
    for (const auto& text : query.texts) stmt.bind(index++, text);
    for (const auto number : query.numbers) stmt.bind(index++, number);
    while (stmt.step()) visitor(read_record(stmt));
}

SqliteConnection& SqliteActivityStore::writable() {
    if (!writer_) {
        throw StoreError(StoreErrorKind::read_only, 0, "activity store is opened read-only");
    }
    return *writer_;
}

std::uint64_t SqliteActivityStore::delete_rows(std::string_view sql,
                                               std::initializer_list<std::int64_t> numbers) {
    std::lock_guard lock(write_mutex_);
    SqliteConnection& writer = writable();
    auto stmt = writer.prepare(sql);
    int index = 1;
    for (const auto number : numbers) stmt.bind(index++, number);
    stmt.step();
    return static_cast<std::uint64_t>(writer.changes());
}

std::uint64_t SqliteActivityStore::prune(system_clock::time_point older_than,
                                         std::uint64_t max_records) {
    return delete_rows(
        "DELETE FROM activity WHERE id IN "
        "(SELECT id FROM activity WHERE time_us < ?1 ORDER BY time_us LIMIT ?2)",
        {to_micros(older_than), saturate(max_records)});
}

std::uint64_t SqliteActivityStore::prune_oldest(std::uint64_t max_records) {
    // activity_by_time holds (time_us, id), so this walks the index from its start.
    return delete_rows(
        "DELETE FROM activity WHERE id IN (SELECT id FROM activity ORDER BY time_us, id LIMIT ?1)",
        {saturate(max_records)});
}

std::optional<StoreUsage> SqliteActivityStore::usage() {
    // The writer sees its own commits at once; the reader may be busy with a long export.
    std::lock_guard lock(write_mutex_);
    if (!writer_) return std::nullopt;
    const auto scalar = [this](std::string_view sql) {
        auto stmt = writer_->prepare(sql);
        return stmt.step() ? stmt.column_int64(0) : std::int64_t{0};
    };
    const std::int64_t pages = scalar("PRAGMA page_count") - scalar("PRAGMA freelist_count");
    const std::int64_t page_size = scalar("PRAGMA page_size");
    // Two subqueries: each min()/max() alone is one index lookup; together they would scan.
    const std::int64_t records = scalar(
        "SELECT coalesce((SELECT max(id) FROM activity) - (SELECT min(id) FROM activity) + 1, 0)");
    return StoreUsage{.bytes = static_cast<std::uint64_t>(std::max<std::int64_t>(pages, 0)) *
                               static_cast<std::uint64_t>(page_size),
                      .records = static_cast<std::uint64_t>(std::max<std::int64_t>(records, 0))};
}

std::uint64_t SqliteActivityStore::count() {
    std::lock_guard lock(read_mutex_);
    auto stmt = reader_->prepare("SELECT count(*) FROM activity");
    stmt.step();
    return static_cast<std::uint64_t>(stmt.column_int64(0));
}

}  // namespace mcpproxy::activity
