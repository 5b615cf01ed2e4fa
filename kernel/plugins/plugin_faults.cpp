#include "kernel/plugins/plugin_faults.hpp"

#include "kernel/util/exception_text.hpp"

namespace mcpproxy::plugins {

PluginFaults::PluginFaults(std::shared_ptr<spdlog::logger> log) : log_(std::move(log)) {}

void PluginFaults::on_failed(FailedListener listener) {
    std::lock_guard lock(mutex_);
    listener_ = std::move(listener);
}

void PluginFaults::record(const std::string& plugin, std::string_view entry_point,
                          const std::exception_ptr& error) noexcept {
    try {
        const std::string what =
            std::string(entry_point) + " failed: " + util::exception_text(error);
        bool first_of_call = false;
        FailedListener tell;
        {
            std::lock_guard lock(mutex_);
            first_of_call = logged_.insert(plugin + "\n" + std::string(entry_point)).second;
            if (failures_.emplace(plugin, what).second) tell = listener_;
        }
        if (first_of_call) {
            log_->error(
                "plugin {}: {} (plugin marked failed; this call's failures are logged once)",
                plugin, what);
        }
        if (tell) tell(plugin, what);
    } catch (...) {
        // Out of memory while reporting: the caller still answers with its fallback.
    }
}

std::optional<std::string> PluginFaults::failure(const std::string& plugin) const {
    std::lock_guard lock(mutex_);
    const auto it = failures_.find(plugin);
    if (it == failures_.end()) return std::nullopt;
    return it->second;
}

}  // namespace mcpproxy::plugins
