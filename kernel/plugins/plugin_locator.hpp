#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace mcpproxy::plugins {

// Where plugin files are looked for, in order: --plugins-dir, the config's plugins_dir, the
// build-tree folder next to the executable, the installed plugin folder relative to the executable
// (GNU install dirs), the executable's own folder, the installed library folder of this build.
class PluginLocator {
public:
    PluginLocator(std::string cli_dir, std::string config_dir);

    [[nodiscard]] const std::vector<std::filesystem::path>& search_path() const { return dirs_; }
    // A name ("tunnel-ngrok") or a path ("./x.so"); throws PluginError listing where it looked.
    [[nodiscard]] std::filesystem::path locate(const std::string& name_or_path) const;
    // Every *.so in the search path; the first of a name wins.
    [[nodiscard]] std::vector<std::filesystem::path> discover() const;

private:
    std::vector<std::filesystem::path> dirs_;
};

}  // namespace mcpproxy::plugins
