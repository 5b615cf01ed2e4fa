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
    bool failed = false;  // at start; run-time failures are in PluginRegistry::faults()
    std::string last_error;
    // What the plugin provides, asked once when it starts (the kernel uses these, never the
    // plugin's accessors, so a throwing accessor is a start-up error naming the plugin).
    sdk::AuthBridge* auth_bridge = nullptr;
    sdk::TunnelAdapter* tunnel_adapter = nullptr;
    sdk::UpstreamCredentials* upstream_credentials = nullptr;
};

// The plugins of this process in load order. Every call into a plugin is guarded: at start-up an
// exception becomes a PluginError naming the plugin; at run time it is recorded in faults()
// (plugin marked failed, logged once) and never escapes into the kernel.
class PluginRegistry {
public:
    PluginRegistry(PluginLocator locator, HostServices services);
    ~PluginRegistry();
    PluginRegistry(const PluginRegistry&) = delete;
    PluginRegistry& operator=(const PluginRegistry&) = delete;

    // Finds, opens, checks and constructs a plugin; throws PluginError. Loading the same plugin
    // name twice is an error.
    LoadedPlugin& load(const std::string& name_or_path, const nlohmann::json& settings);
    // start() on every loaded plugin in order, then asks each what it provides (auth bridge,
    // tunnel adapter, upstream credentials); throws PluginError for the first that fails.
    void start_all();
    // stop() in reverse order; never throws.
    void stop_all() noexcept;

    [[nodiscard]] std::deque<LoadedPlugin>& plugins() { return plugins_; }
    [[nodiscard]] const PluginLocator& locator() const { return locator_; }
    [[nodiscard]] HostServices& services() { return services_; }
    [[nodiscard]] PluginFaults& faults() { return *faults_; }
    [[nodiscard]] std::shared_ptr<PluginFaults> shared_faults() const { return faults_; }

private:
    PluginLocator locator_;
    std::shared_ptr<PluginFaults> faults_;
    HostServices services_;
    std::deque<LoadedPlugin> plugins_;  // deque: references stay valid as plugins are added
    std::shared_ptr<spdlog::logger> log_;
};

}  // namespace mcpproxy::plugins
