#pragma once

#include <spdlog/logger.h>

#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>

namespace mcpproxy::plugins {

// Where an exception a plugin throws at run time ends up: the kernel never lets it escape, and
// never shows its text to a client. The plugin is marked failed at its first failure; each call
// that fails (a plugin and an entry point, e.g. "verify_request()") is logged once with the
// plugin's name, as a call failing on every request would otherwise flood the log. Thread-safe.
class PluginFaults {
public:
    // Told once per plugin, at its first failure (e.g. to show it in /readyz).
    using FailedListener = std::function<void(const std::string& plugin, const std::string& error)>;

    explicit PluginFaults(std::shared_ptr<spdlog::logger> log);

    void on_failed(FailedListener listener);
    void record(const std::string& plugin, std::string_view entry_point,
                const std::exception_ptr& error) noexcept;
    // The first failure of the plugin ("verify_request() failed: ..."), if it failed.
    [[nodiscard]] std::optional<std::string> failure(const std::string& plugin) const;

    // fn() or, when it throws, `fallback` with the failure recorded.
    template <typename Fn, typename T>
    T call(const std::string& plugin, std::string_view entry_point, Fn&& fn, T fallback) {
        try {
            return std::forward<Fn>(fn)();
        } catch (...) {
            record(plugin, entry_point, std::current_exception());
        }
        return fallback;
    }

private:
    std::shared_ptr<spdlog::logger> log_;
    mutable std::mutex mutex_;
    FailedListener listener_;
    std::map<std::string, std::string, std::less<>> failures_;  // plugin -> first failure
    std::set<std::string, std::less<>> logged_;                 // "<plugin>\n<entry point>"
};

}  // namespace mcpproxy::plugins
