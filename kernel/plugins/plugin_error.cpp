#include "kernel/plugins/plugin_error.hpp"

namespace mcpproxy::plugins {

PluginError::PluginError(const std::string& plugin, const std::string& reason)
    : std::runtime_error("plugin " + plugin + ": " + reason) {}

}  // namespace mcpproxy::plugins
