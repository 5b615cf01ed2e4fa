#include "test_support.hpp"

#include <sqlite3.h>
#include <sys/stat.h>

#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <thread>

namespace mcpproxy::activity::test {

TempDir::TempDir() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "activity-test-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
}

TempDir::~TempDir() {
    std::error_code ec;
    std::filesystem::permissions(path_, std::filesystem::perms::owner_all,
                                 std::filesystem::perm_options::add, ec);
    std::filesystem::remove_all(path_, ec);
}

ActivityRecord make_record(int index, std::chrono::system_clock::time_point time) {
    char id[32];
    std::snprintf(id, sizeof id, "req-%06d", index);
    ActivityRecord r;
    r.time = time;
    r.request_id = id;
    r.identity_name = index % 2 == 0 ? "ci-bot" : "alice";
    r.identity_kind = "agent_token";
    r.client_address = "127.0.0.1:5" + std::to_string(1000 + index % 1000);
    r.listener = "main";
    r.method = index % 3 == 0 ? "tools/list" : "tools/call";
    r.server = index % 4 == 0 ? "github" : "filesystem";
    r.tool = r.method == "tools/call" ? "read_file" : "";
    r.decision = index % 5 == 0 ? "denied" : "allowed";
    r.reason = r.decision == "denied" ? "insufficient_permission" : "";
    r.http_status = r.decision == "denied" ? 403 : 200;
    r.latency = std::chrono::microseconds(1500 + index);
    r.bytes_in = 100 + static_cast<std::uint64_t>(index);
    r.bytes_out = 2000;
    return r;
}

bool wait_until(const std::function<bool()>& condition, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        if (condition()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return condition();
}

mode_t file_mode(const std::filesystem::path& path) {
    struct stat info {};
    if (::stat(path.c_str(), &info) != 0) throw std::runtime_error("stat " + path.string());
    return info.st_mode & 07777;
}

namespace {

struct RawDb {
    explicit RawDb(const std::filesystem::path& path) {
        if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
            throw std::runtime_error("cannot open " + path.string());
        }
        sqlite3_busy_timeout(db, 5000);
    }
    ~RawDb() { sqlite3_close(db); }
    sqlite3* db = nullptr;
};

}  // namespace

std::string integrity_check(const std::filesystem::path& path) {
    RawDb raw(path);
    sqlite3_stmt* stmt = nullptr;
    std::string result = "prepare failed";
    if (sqlite3_prepare_v2(raw.db, "PRAGMA integrity_check", -1, &stmt, nullptr) == SQLITE_OK &&
        sqlite3_step(stmt) == SQLITE_ROW) {
        result = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
    }
    sqlite3_finalize(stmt);
    return result;
}

long long sql_scalar(const std::filesystem::path& path, const std::string& sql) {
    RawDb raw(path);
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(raw.db, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
        throw std::runtime_error(sqlite3_errmsg(raw.db));
    }
    long long value = -1;
    if (sqlite3_step(stmt) == SQLITE_ROW) value = sqlite3_column_int64(stmt, 0);
    sqlite3_finalize(stmt);
    return value;
}

CapturedLog::CapturedLog()
    : sink(std::make_shared<spdlog::sinks::ringbuffer_sink_mt>(1024)),
      logger(std::make_shared<spdlog::logger>("activity-test", sink)) {
    sink->set_pattern("%l %v");
    logger->set_level(spdlog::level::trace);
}

std::vector<std::string> CapturedLog::lines() const {
    return sink->last_formatted();
}

std::size_t CapturedLog::count(const std::string& level, const std::string& fragment) const {
    std::size_t n = 0;
    for (const auto& line : lines()) {
        if (line.rfind(level + " ", 0) == 0 && line.find(fragment) != std::string::npos) ++n;
    }
    return n;
}

}  // namespace mcpproxy::activity::test
