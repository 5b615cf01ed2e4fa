#pragma once

#include <map>
#include <string>

namespace mcpproxy::app {

// Writes {"listeners": {"main": "127.0.0.1:PORT", ...}} atomically, for scripts and tests that
// start mcpproxy on port 0.
void write_port_file(const std::string& path, const std::map<std::string, std::string>& listeners);

}  // namespace mcpproxy::app
