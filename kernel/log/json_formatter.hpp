#pragma once

#include <spdlog/formatter.h>

#include <memory>

namespace mcpproxy::log {

// One JSON object per line: {"time","level","component","msg"}.
class JsonFormatter final : public spdlog::formatter {
public:
    void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override;
    [[nodiscard]] std::unique_ptr<spdlog::formatter> clone() const override;
};

}  // namespace mcpproxy::log
