#pragma once

#include <optional>
#include <string>
#include <vector>

namespace mcpproxy::app {

// Options needed before the command line can be fully parsed (plugins contribute subcommands,
// and finding them needs the config and plugin folders).
struct Prescan {
    std::vector<std::string> args;  // argv without argv[0], with "serve" inserted when implied
    std::optional<std::string> config_file;
    std::optional<std::string> data_dir;
    std::optional<std::string> plugins_dir;
    std::string first_word;  // the subcommand word, e.g. "serve", "token"
};

Prescan prescan_arguments(int argc, const char* const* argv,
                          const std::vector<std::string>& builtin_commands);

}  // namespace mcpproxy::app
