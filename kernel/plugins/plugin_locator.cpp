#include "kernel/plugins/plugin_locator.hpp"

#include <unistd.h>

#include <set>

#include "kernel/plugins/plugin_error.hpp"

namespace mcpproxy::plugins {
namespace {

std::filesystem::path executable_dir() {
    std::error_code ec;
    const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    return ec ? std::filesystem::path{} : exe.parent_path();
}

bool looks_like_path(const std::string& s) {
    return s.find('/') != std::string::npos || s.ends_with(".so");
}

}  // namespace

PluginLocator::PluginLocator(std::string cli_dir, std::string config_dir) {
    if (!cli_dir.empty()) dirs_.emplace_back(cli_dir);
    if (!config_dir.empty()) dirs_.emplace_back(config_dir);
    if (const auto exe = executable_dir(); !exe.empty()) {
        // The build tree (bin/ beside lib/mcpproxy/plugins), then the installed layout.
        dirs_.push_back(exe.parent_path() / "lib" / "mcpproxy" / "plugins");
        const auto installed = (exe / MCPPROXY_PLUGIN_DIR_FROM_BINDIR).lexically_normal();
        if (installed != dirs_.back()) dirs_.push_back(installed);
        dirs_.push_back(exe);
    }
    dirs_.emplace_back(MCPPROXY_INSTALLED_PLUGIN_DIR);
}

std::filesystem::path PluginLocator::locate(const std::string& name_or_path) const {
    std::error_code ec;
    if (looks_like_path(name_or_path)) {
        if (std::filesystem::is_regular_file(name_or_path, ec)) {
            return std::filesystem::absolute(name_or_path);
        }
        throw PluginError(name_or_path, "file not found");
    }
    std::string looked;
    for (const auto& dir : dirs_) {
        const auto candidate = dir / (name_or_path + ".so");
        if (std::filesystem::is_regular_file(candidate, ec)) return candidate;
        looked += (looked.empty() ? "" : ", ") + dir.string();
    }
    throw PluginError(name_or_path, "not found (looked in " + looked + ")");
}

std::vector<std::filesystem::path> PluginLocator::discover() const {
    std::vector<std::filesystem::path> found;
    std::set<std::string> names;
    for (const auto& dir : dirs_) {
        std::error_code ec;
        for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
            if (!entry.is_regular_file() || entry.path().extension() != ".so") continue;
            if (names.insert(entry.path().stem().string()).second) found.push_back(entry.path());
        }
    }
    return found;
}

}  // namespace mcpproxy::plugins
