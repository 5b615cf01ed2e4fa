#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "mcpproxy/sdk/command.hpp"
#include "mcpproxy/sdk/http_client.hpp"
#include "mcpproxy/sdk/logger.hpp"
#include "mcpproxy/sdk/process.hpp"
#include "mcpproxy/sdk/route.hpp"
#include "mcpproxy/sdk/visibility.hpp"

namespace mcpproxy::sdk {

// An upstream MCP server from the config's mcpServers, as plugins may see it.
struct UpstreamServerInfo {
    std::string name;
    std::string url;  // empty for a stdio server
    bool enabled = true;
};

// The services the host hands a plugin. The reference stays valid for the plugin's whole life.
class MCPPROXY_SDK_VISIBLE Host {
public:
    virtual ~Host() = default;

    [[nodiscard]] virtual Logger& logger() = 0;  // tagged with the plugin's name
    // The plugin's own config block as JSON text ("{}" when the config has none).
    [[nodiscard]] virtual std::string_view config_json() const = 0;
    // Where the plugin may keep state (created, mode 0700). Secrets go in files of mode 0600.
    [[nodiscard]] virtual std::string data_dir() const = 0;
    [[nodiscard]] virtual std::chrono::system_clock::time_point now() const = 0;
    [[nodiscard]] virtual ProcessSupervisor& processes() = 0;
    [[nodiscard]] virtual HttpClient& http() = 0;
    // Adds a CLI subcommand (see command.hpp). Call it from the plugin's constructor.
    virtual void register_command(CommandSpec command) = 0;
    // Adds an HTTP route (see route.hpp). Call it from the plugin's constructor.
    virtual void register_route(RouteSpec route) = 0;
    // The configured upstream servers (the current config; it may change on reload).
    [[nodiscard]] virtual std::vector<UpstreamServerInfo> upstream_servers() const = 0;
    // Base URLs ("https://name.example") at which tunnels expose this proxy right now; empty when
    // no tunnel is ready. Changes at run time: ask each time it matters.
    [[nodiscard]] virtual std::vector<std::string> public_urls() const = 0;
};

}  // namespace mcpproxy::sdk
