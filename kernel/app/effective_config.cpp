#include "kernel/app/effective_config.hpp"

#include <filesystem>

#include "kernel/config/config_error.hpp"
#include "kernel/config/config_loader.hpp"
#include "kernel/util/host_port.hpp"

namespace mcpproxy::app {

config::Config effective_config(const CliOverrides& cli) {
    config::Config c;
    if (cli.config_file) {
        c = config::load_config_file(*cli.config_file);
    } else {
        const auto implicit = std::filesystem::path(config::default_data_dir()) / "mcp_config.json";
        std::error_code ec;
        c = std::filesystem::exists(implicit, ec) ? config::load_config_file(implicit.string())
                                                  : config::default_config();
    }
    if (cli.listen) {
        if (!util::parse_host_port(*cli.listen)) {
            throw config::ConfigError(
                "", "--listen",
                "expected HOST:PORT such as 127.0.0.1:8080, got \"" + *cli.listen + "\"");
        }
        c.listen = *cli.listen;
    }
    if (cli.data_dir) c.data_dir = std::filesystem::absolute(*cli.data_dir).string();
    if (cli.plugins_dir) c.plugins_dir = *cli.plugins_dir;
    if (cli.log_level) c.log_level = *cli.log_level;
    if (cli.log_format) c.log_format = *cli.log_format;
    if (cli.tunnel_mode) c.tunnel.enabled = true;
    if (cli.tunnel_listen) {
        if (!util::parse_host_port(*cli.tunnel_listen)) {
            throw config::ConfigError("", "--tunnel-listen", "expected HOST:PORT");
        }
        c.tunnel.enabled = true;
        c.tunnel.listen = *cli.tunnel_listen;
    }
    if (cli.management_listen) {
        if (!util::parse_host_port(*cli.management_listen)) {
            throw config::ConfigError("", "--management-listen", "expected HOST:PORT");
        }
        c.management.enabled = true;
        c.management.listen = *cli.management_listen;
    }
    for (const auto& name : cli.plugins) {
        const bool already = std::any_of(c.plugins.begin(), c.plugins.end(),
                                         [&](const auto& p) { return p.name == name; });
        if (!already) c.plugins.push_back({name, nlohmann::json::object()});
    }
    return c;
}

}  // namespace mcpproxy::app
