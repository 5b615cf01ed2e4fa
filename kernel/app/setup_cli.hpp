#pragma once

#include <CLI/CLI.hpp>
#include <optional>
#include <string>

#include "kernel/app/effective_config.hpp"
#include "kernel/app/import_command.hpp"
#include "kernel/app/init_command.hpp"

namespace mcpproxy::app {

// The first-ten-minutes commands: `init`, `import` and `doctor`. Kept out of cli.cpp so that the
// shared command table needs one line to register them and one to run them.
class SetupCommands {
public:
    void add(CLI::App& app);
    // The exit code of the command that was parsed, or nullopt when it was none of these.
    std::optional<int> run_selected();

private:
    CLI::App* init_ = nullptr;
    CLI::App* import_ = nullptr;
    InitOptions init_options_;
    bool non_interactive_ = false;
    bool no_management_ = false;
    ImportOptions import_options_;
    CLI::App* doctor_ = nullptr;
    CliOverrides doctor_cli_;
    std::string doctor_output_ = "table";
};

}  // namespace mcpproxy::app
