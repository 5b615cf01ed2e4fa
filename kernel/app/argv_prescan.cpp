#include "kernel/app/argv_prescan.hpp"

#include <algorithm>

namespace mcpproxy::app {
namespace {

std::optional<std::string> value_of(const std::vector<std::string>& args, const std::string& flag) {
    for (std::size_t i = 0; i < args.size(); ++i) {
        if (args[i] == flag && i + 1 < args.size()) return args[i + 1];
        if (args[i].starts_with(flag + "=")) return args[i].substr(flag.size() + 1);
    }
    return std::nullopt;
}

}  // namespace

Prescan prescan_arguments(int argc, const char* const* argv,
                          const std::vector<std::string>& builtin_commands) {
    Prescan p;
    for (int i = 1; i < argc; ++i) p.args.emplace_back(argv[i]);
    // `mcpproxy --plugin x` means `mcpproxy serve --plugin x`: serve is the default command.
    const bool asks_top_help = !p.args.empty() && (p.args[0] == "-h" || p.args[0] == "--help");
    if (p.args.empty() || (p.args[0].starts_with("-") && !asks_top_help)) {
        p.args.insert(p.args.begin(), "serve");
    }
    if (!p.args.empty() && !p.args[0].starts_with("-")) p.first_word = p.args[0];
    p.config_file = value_of(p.args, "--config");
    p.data_dir = value_of(p.args, "--data-dir");
    p.plugins_dir = value_of(p.args, "--plugins-dir");
    (void)builtin_commands;
    return p;
}

}  // namespace mcpproxy::app
