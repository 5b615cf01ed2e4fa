#pragma once

#include <spdlog/logger.h>

#include <memory>

namespace mcpproxy::activity {

// Components take their logger from the host; without one they log nothing.
inline std::shared_ptr<spdlog::logger> logger_or_silent(std::shared_ptr<spdlog::logger> logger) {
    return logger ? std::move(logger) : std::make_shared<spdlog::logger>("activity");
}

}  // namespace mcpproxy::activity
