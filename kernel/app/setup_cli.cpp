#include "kernel/app/setup_cli.hpp"

#include <unistd.h>

#include <iostream>

#include "kernel/app/doctor_command.hpp"

namespace mcpproxy::app {

void SetupCommands::add(CLI::App& app) {
    init_ = app.add_subcommand("init", "Write a commented starting config");
    init_->add_option("--config", init_options_.config_file,
                      "Where to write it (default ~/.mcpproxy/mcp_config.json)");
    init_->add_option("--listen", init_options_.listen, "Address for MCP clients, HOST:PORT");
    init_->add_flag("--no-management", no_management_, "Leave the web UI / REST API off");
    init_->add_flag("--force", init_options_.force, "Overwrite an existing file");
    init_->add_flag("--non-interactive", non_interactive_,
                    "Never ask, even on a terminal (flags and defaults only)");

    import_ = app.add_subcommand("import", "Bring the MCP servers another client already has");
    import_
        ->add_option("--from", import_options_.from,
                     "claude-desktop, claude-code, cursor, vscode, or a file")
        ->required();
    import_->add_option("--config", import_options_.config_file,
                        "Config to merge into (default ~/.mcpproxy/mcp_config.json)");
    import_->add_flag("--dry-run", import_options_.dry_run,
                      "Show what would change, write nothing");
    import_->add_flag("--approve", import_options_.approve,
                      "Make the new servers callable at once instead of quarantined");

    doctor_ = app.add_subcommand("doctor", "Check the setup and say how to fix what is wrong");
    doctor_->add_option("--config", doctor_cli_.config_file, "Config file (JSON)");
    doctor_->add_option("--data-dir", doctor_cli_.data_dir, "Data directory (default ~/.mcpproxy)");
    doctor_->add_option("--plugins-dir", doctor_cli_.plugins_dir,
                        "Extra folder to search for plugins first");
    doctor_->add_option("-o,--output", doctor_output_, "table or json")
        ->check(CLI::IsMember({"table", "json"}));
}

std::optional<int> SetupCommands::run_selected() {
    if (init_ != nullptr && init_->parsed()) {
        init_options_.management = !no_management_;
        init_options_.interactive =
            !non_interactive_ && ::isatty(STDIN_FILENO) != 0 && ::isatty(STDOUT_FILENO) != 0;
        return init_command(init_options_, std::cin, std::cout, std::cerr);
    }
    if (import_ != nullptr && import_->parsed()) {
        return import_command(import_options_, std::cout, std::cerr);
    }
    if (doctor_ != nullptr && doctor_->parsed()) {
        return doctor_command(doctor_cli_, doctor_output_, std::cout, std::cerr);
    }
    return std::nullopt;
}

}  // namespace mcpproxy::app
