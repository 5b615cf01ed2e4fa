#include "kernel/app/builtin_commands.hpp"

#include <iomanip>
#include <iostream>
#include <nlohmann/json.hpp>

#include "kernel/config/config_loader.hpp"
#include "kernel/config/config_printer.hpp"
#include "kernel/plugins/plugin_loader.hpp"
#include "kernel/plugins/plugin_locator.hpp"
#include "mcpproxy/sdk/version.hpp"

namespace mcpproxy::app {

int print_version() {
    std::cout << "mcpproxy " << MCPPROXY_VERSION << " (plugin ABI " << sdk::kAbiVersion << ", SDK "
              << MCPPROXY_SDK_VERSION_STRING << ")\n";
    return 0;
}

int list_plugins(const CliOverrides& cli, const std::string& output_format) {
    std::string config_dir;
    if (cli.config_file) config_dir = effective_config(cli).plugins_dir;
    const plugins::PluginLocator locator(cli.plugins_dir.value_or(""), config_dir);
    nlohmann::json rows = nlohmann::json::array();
    for (const auto& path : locator.discover()) {
        const auto info = plugins::PluginLibrary::inspect(path);
        rows.push_back({{"name", info.name},
                        {"kind", info.kind},
                        {"version", info.version},
                        {"abi_version", info.abi_version},
                        {"path", info.path.string()},
                        {"description", info.description},
                        {"loadable", info.problem.empty()},
                        {"problem", info.problem}});
    }
    if (output_format == "json") {
        std::cout << rows.dump(2) << "\n";
        return 0;
    }
    std::cout << std::left << std::setw(22) << "NAME" << std::setw(16) << "KIND" << std::setw(10)
              << "VERSION" << std::setw(5) << "ABI"
              << "PATH\n";
    for (const auto& r : rows) {
        std::cout << std::setw(22) << r["name"].get<std::string>() << std::setw(16)
                  << r["kind"].get<std::string>() << std::setw(10)
                  << r["version"].get<std::string>() << std::setw(5)
                  << r["abi_version"].get<std::uint32_t>() << r["path"].get<std::string>() << "\n";
        if (!r["problem"].get<std::string>().empty()) {
            std::cout << "    cannot load: " << r["problem"].get<std::string>() << "\n";
        }
    }
    if (rows.empty()) {
        std::cout << "(no plugins found; searched:";
        for (const auto& d : locator.search_path()) std::cout << " " << d.string();
        std::cout << ")\n";
    }
    return 0;
}

int check_config(const std::string& file) {
    const auto config = config::load_config_file(file);
    for (const auto& w : config.warnings) std::cerr << "warning: " << w << "\n";
    std::cout << config::effective_config_redacted(config).dump(2) << "\n";
    return 0;
}

}  // namespace mcpproxy::app
