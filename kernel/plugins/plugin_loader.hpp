#pragma once

#include <boost/dll/shared_library.hpp>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "mcpproxy/sdk/plugin.hpp"

namespace mcpproxy::plugins {

// What a plugin file says about itself, copied out of the library.
struct PluginInfo {
    std::filesystem::path path;
    std::string name;
    std::string kind;
    std::string version;
    std::string description;
    std::string commands;  // space-separated top-level CLI words
    std::uint32_t abi_version = 0;
    std::string problem;  // why it cannot be loaded; empty when it can
};

// An opened plugin file whose descriptor checked out. Keeps the library loaded.
class PluginLibrary {
public:
    // Opens the file and checks it is a plugin for this ABI; throws PluginError naming the file.
    static std::shared_ptr<PluginLibrary> open(const std::filesystem::path& path);
    // Like open(), but reports a problem instead of throwing (for `plugins list`).
    static PluginInfo inspect(const std::filesystem::path& path);

    [[nodiscard]] const PluginInfo& info() const { return info_; }
    // Constructs the plugin. The returned object keeps this library loaded while it lives.
    // Throws PluginError when the plugin's constructor fails.
    std::shared_ptr<sdk::Plugin> create(sdk::Host& host);

private:
    PluginLibrary() = default;
    boost::dll::shared_library library_;
    PluginInfo info_;
};

}  // namespace mcpproxy::plugins
