#pragma once

#include <spdlog/logger.h>

#include <deque>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "kernel/plugins/plugin_host.hpp"
#include "kernel/plugins/plugin_loader.hpp"
#include "kernel/plugins/plugin_locator.hpp"

namespace mcpproxy::plugins {

// One plugin in use: its file, its host, the object it created, and its state.
struct LoadedPlugin {
    PluginInfo info;
    std::unique_ptr<PluginHost> host;
    std::shared_ptr<sdk::Plugin> instance;
    bool started = false;
    bool failed = false;
    std::string last_error;
};

// The plugins of this process in load order. Every call into a plugin is guarded: an exception
// becomes an error naming the plugin, logged once, and never escapes into the kernel unconverted.
class PluginRegistry {
public:
    PluginRegistry(PluginLocator locator, HostServices services);
    ~PluginRegistry();
    PluginRegistry(const PluginRegistry&) = delete;
    PluginRegistry& operator=(const PluginRegistry&) = delete;

    // Finds, opens, checks and constructs a plugin; throws PluginError. Loading the same plugin
    // name twice is an error.
    LoadedPlugin& load(const std::string& name_or_path, const nlohmann::json& settings);
    // start() on every loaded plugin in order; throws PluginError for the first that fails.
    void start_all();
    // stop() in reverse order; never throws.
    void stop_all() noexcept;

    [[nodiscard]] std::deque<LoadedPlugin>& plugins() { return plugins_; }
    [[nodiscard]] const PluginLocator& locator() const { return locator_; }
    [[nodiscard]] HostServices& services() { return services_; }

private:
    PluginLocator locator_;
    HostServices services_;
    std::deque<LoadedPlugin> plugins_;  // deque: references stay valid as plugins are added
    std::shared_ptr<spdlog::logger> log_;
};

}  // namespace mcpproxy::plugins
