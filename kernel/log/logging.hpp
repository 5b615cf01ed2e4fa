#pragma once

#include <spdlog/spdlog.h>

#include <memory>
#include <string>

#include "mcpproxy/sdk/logger.hpp"

namespace mcpproxy::log {

enum class Format { text, json };

// Configures the process-wide sinks (stderr). Call once early; safe to call again to change level
// or format. Logger names identify the component ("kernel", "upstream:github", "plugin:ngrok").
void configure(const std::string& level, Format format);

// A logger for one component, sharing the configured sinks.
std::shared_ptr<spdlog::logger> get(const std::string& component);

spdlog::level::level_enum parse_level(const std::string& level);

// The SDK's logger interface over a component logger, handed to plugins.
class SdkLogger final : public sdk::Logger {
public:
    explicit SdkLogger(std::shared_ptr<spdlog::logger> logger) : logger_(std::move(logger)) {}
    void log(sdk::LogLevel level, std::string_view message) override;
    [[nodiscard]] bool enabled(sdk::LogLevel level) const override;

private:
    std::shared_ptr<spdlog::logger> logger_;
};

}  // namespace mcpproxy::log
