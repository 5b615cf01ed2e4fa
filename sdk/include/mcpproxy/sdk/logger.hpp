#pragma once

#include <string>
#include <string_view>

#include "mcpproxy/sdk/visibility.hpp"

namespace mcpproxy::sdk {

enum class LogLevel { trace, debug, info, warn, error };

// The host's logger, already tagged with the plugin's name. Thread-safe. Never log secrets.
class MCPPROXY_SDK_VISIBLE Logger {
public:
    virtual ~Logger() = default;
    virtual void log(LogLevel level, std::string_view message) = 0;
    [[nodiscard]] virtual bool enabled(LogLevel level) const = 0;

    void trace(std::string_view m) { log(LogLevel::trace, m); }
    void debug(std::string_view m) { log(LogLevel::debug, m); }
    void info(std::string_view m) { log(LogLevel::info, m); }
    void warn(std::string_view m) { log(LogLevel::warn, m); }
    void error(std::string_view m) { log(LogLevel::error, m); }
};

}  // namespace mcpproxy::sdk
