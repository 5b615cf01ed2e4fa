#pragma once

#include <string>

#include "kernel/config/config.hpp"

namespace mcpproxy::config {

// Reads and validates a config file; throws ConfigError naming file, JSON path and problem.
Config load_config_file(const std::string& path);

// Validates an already parsed document (file is used in error messages only).
Config parse_config(const nlohmann::json& document, const std::string& file);

// The built-in defaults, with data_dir resolved (~/.mcpproxy).
Config default_config();

std::string default_data_dir();

}  // namespace mcpproxy::config
