#pragma once

#include <stdexcept>
#include <string>

namespace mcpproxy::plugins {

// A plugin that cannot be found, loaded, created or started. The message names the plugin file
// (or name) and the reason in one line.
class PluginError : public std::runtime_error {
public:
    PluginError(const std::string& plugin, const std::string& reason);
};

}  // namespace mcpproxy::plugins
