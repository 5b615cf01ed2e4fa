#include "kernel/log/logging.hpp"

#include <spdlog/sinks/stdout_sinks.h>

#include <mutex>

#include "kernel/log/json_formatter.hpp"

namespace mcpproxy::log {
namespace {

struct State {
    std::mutex mutex;
    spdlog::sink_ptr sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
    spdlog::level::level_enum level = spdlog::level::info;
};

State& state() {
    static State s;
    return s;
}

void apply_format(const spdlog::sink_ptr& sink, Format format) {
    if (format == Format::json) {
        sink->set_formatter(std::make_unique<JsonFormatter>());
    } else {
        sink->set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%-5l%$ [%n] %v");
    }
}

}  // namespace

spdlog::level::level_enum parse_level(const std::string& level) {
    if (level == "trace") return spdlog::level::trace;
    if (level == "debug") return spdlog::level::debug;
    if (level == "warn") return spdlog::level::warn;
    if (level == "error") return spdlog::level::err;
    return spdlog::level::info;
}

void configure(const std::string& level, Format format) {
    auto& s = state();
    std::lock_guard lock(s.mutex);
    s.level = parse_level(level);
    apply_format(s.sink, format);
    spdlog::apply_all([&](const std::shared_ptr<spdlog::logger>& l) { l->set_level(s.level); });
}

std::shared_ptr<spdlog::logger> get(const std::string& component) {
    auto& s = state();
    std::lock_guard lock(s.mutex);
    if (auto existing = spdlog::get(component)) return existing;
    auto logger = std::make_shared<spdlog::logger>(component, s.sink);
    logger->set_level(s.level);
    logger->flush_on(spdlog::level::warn);
    spdlog::register_logger(logger);
    return logger;
}

namespace {
spdlog::level::level_enum to_spdlog(sdk::LogLevel level) {
    switch (level) {
        case sdk::LogLevel::trace:
            return spdlog::level::trace;
        case sdk::LogLevel::debug:
            return spdlog::level::debug;
        case sdk::LogLevel::info:
            return spdlog::level::info;
        case sdk::LogLevel::warn:
            return spdlog::level::warn;
        case sdk::LogLevel::error:
            return spdlog::level::err;
    }
    return spdlog::level::info;
}
}  // namespace

void SdkLogger::log(sdk::LogLevel level, std::string_view message) {
    logger_->log(to_spdlog(level), "{}", message);
}

bool SdkLogger::enabled(sdk::LogLevel level) const {
    return logger_->should_log(to_spdlog(level));
}

}  // namespace mcpproxy::log
