#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "kernel/log/logging.hpp"
#include "kernel/plugins/plugin_faults.hpp"
#include "mcpproxy/sdk/host.hpp"

namespace mcpproxy::plugins {

// Shared services every plugin host hands out; set by the application before plugins load.
// A service left null is reported as unavailable to the plugin that asks for it.
struct HostServices {
    std::string data_dir;
    sdk::ProcessSupervisor* processes = nullptr;
    sdk::HttpClient* http = nullptr;  // null: the kernel's LocalHttpClient
    std::function<std::vector<sdk::UpstreamServerInfo>()> upstream_servers;  // null: none
    std::function<std::vector<std::string>()> public_urls;                   // null: none
    std::shared_ptr<PluginFaults> faults;  // set by the PluginRegistry
};

// The sdk::Host one plugin sees: its own logger and config, the shared services, and the CLI
// commands and routes it registers. Those are kept guarded: an exception from a route handler
// becomes a 500 whose body says nothing of it, one from a command an error line naming the plugin;
// both are recorded in the services' PluginFaults.
class PluginHost final : public sdk::Host {
public:
    PluginHost(std::string plugin_name, std::string config_json, const HostServices& services);

    [[nodiscard]] sdk::Logger& logger() override { return logger_; }
    [[nodiscard]] std::string_view config_json() const override { return config_json_; }
    [[nodiscard]] std::string data_dir() const override { return services_.data_dir; }
    [[nodiscard]] std::chrono::system_clock::time_point now() const override;
    [[nodiscard]] sdk::ProcessSupervisor& processes() override;
    [[nodiscard]] sdk::HttpClient& http() override;
    void register_command(sdk::CommandSpec command) override;
    void register_route(sdk::RouteSpec route) override;
    [[nodiscard]] std::vector<sdk::UpstreamServerInfo> upstream_servers() const override;
    [[nodiscard]] std::vector<std::string> public_urls() const override;
    [[nodiscard]] const std::vector<sdk::RouteSpec>& routes() const { return routes_; }

    [[nodiscard]] const std::vector<sdk::CommandSpec>& commands() const { return commands_; }
    // Drops the registered commands; must happen before the plugin's library is unloaded.
    void clear_commands() {
        commands_.clear();
        routes_.clear();
    }

private:
    std::string plugin_name_;
    std::string config_json_;
    const HostServices& services_;
    log::SdkLogger logger_;
    std::vector<sdk::CommandSpec> commands_;
    std::vector<sdk::RouteSpec> routes_;
};

}  // namespace mcpproxy::plugins
