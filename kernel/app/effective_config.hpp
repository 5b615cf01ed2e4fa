#pragma once

#include <optional>
#include <string>
#include <vector>

#include "kernel/config/config.hpp"

namespace mcpproxy::app {

struct CliOverrides {
    std::optional<std::string> config_file;
    std::optional<std::string> listen;
    std::optional<std::string> data_dir;
    std::vector<std::string> plugins;
    std::optional<std::string> plugins_dir;
    std::optional<std::string> log_level;
    std::optional<std::string> log_format;
    bool tunnel_mode = false;
    std::optional<std::string> tunnel_listen;
    std::optional<std::string> management_listen;
};

// The config file given with --config, else <default data dir>/mcp_config.json when it exists,
// else built-in defaults; then the command-line overrides. Throws config::ConfigError.
config::Config effective_config(const CliOverrides& cli);

}  // namespace mcpproxy::app
