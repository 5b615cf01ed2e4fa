#pragma once

#include <string>

#include "kernel/app/effective_config.hpp"

namespace mcpproxy::app {

int print_version();
int list_plugins(const CliOverrides& cli, const std::string& output_format);
int check_config(const std::string& file);

}  // namespace mcpproxy::app
