#pragma once

#include <spdlog/logger.h>
#include <spdlog/sinks/ringbuffer_sink.h>
#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "kernel/activity/activity_record.hpp"

namespace mcpproxy::activity::test {

// A fresh directory under the system temp dir, removed (even if read-only) on destruction.
class TempDir {
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::filesystem::path& path() const { return path_; }

private:
    std::filesystem::path path_;
};

// A complete record; `index` makes the request id ("req-000042") and the fields it varies.
ActivityRecord make_record(
    int index, std::chrono::system_clock::time_point time = std::chrono::system_clock::now());

// Polls `condition` every 10 ms until it holds or `timeout` passes.
bool wait_until(const std::function<bool()>& condition,
                std::chrono::milliseconds timeout = std::chrono::seconds(5));

mode_t file_mode(const std::filesystem::path& path);

// Through a separate raw SQLite connection, as an operator's tool would see the file.
std::string integrity_check(const std::filesystem::path& db);
long long sql_scalar(const std::filesystem::path& db, const std::string& sql);

// A logger whose lines (formatted as "<level> <message>") the test can read back.
struct CapturedLog {
    CapturedLog();
    std::vector<std::string> lines() const;
    std::size_t count(const std::string& level, const std::string& fragment) const;

    std::shared_ptr<spdlog::sinks::ringbuffer_sink_mt> sink;
    std::shared_ptr<spdlog::logger> logger;
};

}  // namespace mcpproxy::activity::test
