#pragma once

#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "mcpproxy/sdk/logger.hpp"

namespace mcpproxy::sdk::testing {

struct LogLine {
    LogLevel level;
    std::string message;
};

// A Logger that keeps every line, so a test can assert what a plugin logged (and what it did not:
// a secret must never show up here).
class RecordingLogger final : public Logger {
public:
    void log(LogLevel level, std::string_view message) override {
        const std::lock_guard lock(mutex_);
        lines_.push_back({level, std::string(message)});
    }
    [[nodiscard]] bool enabled(LogLevel /*level*/) const override { return true; }

    [[nodiscard]] std::vector<LogLine> lines() const {
        const std::lock_guard lock(mutex_);
        return lines_;
    }
    // Whether any line contains text.
    [[nodiscard]] bool contains(std::string_view text) const {
        const std::lock_guard lock(mutex_);
        for (const auto& line : lines_) {
            if (line.message.find(text) != std::string::npos) return true;
        }
        return false;
    }
    [[nodiscard]] std::string joined() const {
        const std::lock_guard lock(mutex_);
        std::string all;
        for (const auto& line : lines_) all += line.message + "\n";
        return all;
    }

private:
    mutable std::mutex mutex_;
    std::vector<LogLine> lines_;
};

}  // namespace mcpproxy::sdk::testing
