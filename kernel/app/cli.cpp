#include "kernel/app/cli.hpp"

#include <CLI/CLI.hpp>
#include <iostream>
#include <sstream>

#include "kernel/app/activity_commands.hpp"
#include "kernel/app/argv_prescan.hpp"
#include "kernel/app/builtin_commands.hpp"
#include "kernel/app/effective_config.hpp"
#include "kernel/app/plugin_cli.hpp"
#include "kernel/app/plugin_services.hpp"
#include "kernel/app/server.hpp"
#include "kernel/app/setup_cli.hpp"
#include "kernel/app/tunnel_status_file.hpp"
#include "kernel/log/logging.hpp"
#include "kernel/mgmt/admin_key.hpp"
#include "kernel/plugins/plugin_registry.hpp"
#include "kernel/util/atomic_file.hpp"

namespace mcpproxy::app {
namespace {

const std::vector<std::string> kBuiltins{"serve",     "version", "plugins", "config", "activity",
                                         "admin-key", "init",    "import",  "doctor"};

void add_location_options(CLI::App& cmd, CliOverrides& cli) {
    cmd.add_option("--config", cli.config_file, "Config file (JSON)");
    cmd.add_option("--data-dir", cli.data_dir, "Data directory (default ~/.mcpproxy)");
    cmd.add_option("--plugins-dir", cli.plugins_dir, "Extra folder to search for plugins first");
}

bool provides(const std::string& commands, const std::string& word) {
    std::istringstream in(commands);
    for (std::string w; in >> w;) {
        if (w == word) return true;
    }
    return false;
}

// Loads the plugins whose descriptors say they contribute `word` as a top-level command.
std::unique_ptr<plugins::PluginRegistry> load_command_plugins(const Prescan& pre) {
    CliOverrides cli;
    cli.config_file = pre.config_file;
    cli.data_dir = pre.data_dir;
    cli.plugins_dir = pre.plugins_dir;
    const auto config = effective_config(cli);
    plugins::HostServices services = make_host_services(config, nullptr);
    auto registry = std::make_unique<plugins::PluginRegistry>(
        plugins::PluginLocator(pre.plugins_dir.value_or(""), config.plugins_dir), services);
    for (const auto& path : registry->locator().discover()) {
        const auto info = plugins::PluginLibrary::inspect(path);
        if (!info.problem.empty() || !provides(info.commands, pre.first_word)) continue;
        nlohmann::json settings = nlohmann::json::object();
        for (const auto& p : config.plugins) {
            if (p.name == info.name) settings = p.settings;
        }
        util::ensure_private_directory(config.data_dir);
        registry->load(path.string(), settings);
    }
    return registry;
}

}  // namespace

int run_cli(int argc, const char* const* argv) {
    const Prescan pre = prescan_arguments(argc, argv, kBuiltins);
    log::configure("warn", log::Format::text);

    CLI::App app{"mcpproxy: one MCP endpoint in front of many MCP servers, safe behind a tunnel"};
    app.require_subcommand(1);
    app.set_help_all_flag("--help-all", "Help for every command");

    CliOverrides cli;
    ServeOptions serve_options;
    auto* serve = app.add_subcommand("serve", "Run the proxy (the default command)");
    add_location_options(*serve, cli);
    serve->add_option("--listen", cli.listen,
                      "Address to listen on, HOST:PORT (default 127.0.0.1:8080)");
    serve->add_option("--plugin", cli.plugins, "Load a plugin by name or path (repeatable)");
    serve->add_option("--log-level", cli.log_level, "trace, debug, info, warn or error")
        ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error"}));
    serve->add_option("--log-format", cli.log_format, "text or json")
        ->check(CLI::IsMember({"text", "json"}));
    serve->add_flag("--tunnel-mode", cli.tunnel_mode,
                    "Serve only /mcp and /healthz with mandatory auth on the tunneled listener");
    serve->add_option("--tunnel-listen", cli.tunnel_listen,
                      "A separate tunneled listener, HOST:PORT (implies --tunnel-mode)");
    serve->add_option("--management-listen", cli.management_listen,
                      "Serve the admin API and web UI on this loopback HOST:PORT");
    serve->add_option("--port-file", serve_options.port_file,
                      "Write the bound addresses as JSON to this file once listening");
    serve->add_option("--threads", serve_options.threads, "I/O threads (default: one per core)");
    auto busy_poll_us = static_cast<unsigned>(app::kDefaultBusyPoll.count());
    serve
        ->add_option("--busy-poll-us", busy_poll_us,
                     "Microseconds an idle I/O thread polls before it sleeps; 0: sleep at once "
                     "(less CPU, more latency)")
        ->check(CLI::Range(0U, 100000U))
        ->capture_default_str();

    app.add_subcommand("version", "Print the version and plugin ABI");

    std::string output = "table";
    auto* plugins_cmd = app.add_subcommand("plugins", "Inspect plugins");
    plugins_cmd->require_subcommand(1);
    auto* plugins_list =
        plugins_cmd->add_subcommand("list", "List the plugins found and whether they load");
    add_location_options(*plugins_list, cli);
    plugins_list->add_option("-o,--output", output, "table or json")
        ->check(CLI::IsMember({"table", "json"}));

    std::string config_file;
    auto* config_cmd = app.add_subcommand("config", "Work with config files");
    config_cmd->require_subcommand(1);
    auto* config_check = config_cmd->add_subcommand(
        "check", "Validate a config file and print the effective config, secrets redacted");
    config_check->add_option("file", config_file, "Config file")->required();

    auto* admin_key_cmd = app.add_subcommand("admin-key", "The management listener's admin key");
    admin_key_cmd->require_subcommand(1);
    auto* admin_key_show =
        admin_key_cmd->add_subcommand("show", "Print the admin key (create it if missing)");
    add_location_options(*admin_key_show, cli);

    ActivityQueryOptions activity_options;
    auto* activity_cmd = app.add_subcommand("activity", "Query the activity log");
    activity_cmd->require_subcommand(1);
    auto add_filters = [&](CLI::App* cmd) {
        add_location_options(*cmd, cli);
        cmd->add_option("--agent", activity_options.agent, "Only this credential name");
        cmd->add_option("--server", activity_options.server, "Only this upstream server");
        cmd->add_option("--since", activity_options.since, "Age (30m, 1h, 7d) or RFC 3339 time");
        cmd->add_option("--decision", activity_options.decision, "allowed or denied");
        cmd->add_option("--method", activity_options.method, "Only this JSON-RPC method");
    };
    auto* activity_list =
        activity_cmd->add_subcommand("list", "Show recent activity, newest first");
    add_filters(activity_list);
    activity_list->add_option("--limit", activity_options.limit,
                              "At most this many records (default 100)");
    activity_list->add_option("-o,--output", activity_options.output, "table or json")
        ->check(CLI::IsMember({"table", "json"}));
    std::string export_format = "jsonl";
    auto* activity_export =
        activity_cmd->add_subcommand("export", "Write every matching record, oldest first");
    add_filters(activity_export);
    activity_export->add_option("--format", export_format, "jsonl or csv")
        ->check(CLI::IsMember({"jsonl", "csv"}));

    // Not a builtin word: plugins may add under it too (`tunnel anthropic init`).
    std::string tunnel_output = "table";
    auto* tunnel_cmd = app.add_subcommand("tunnel", "Tunnel adapters");
    tunnel_cmd->require_subcommand(1);
    auto* tunnel_status =
        tunnel_cmd->add_subcommand("status", "Provider, state, public URL, restarts, last error");
    add_location_options(*tunnel_status, cli);
    tunnel_status->add_option("-o,--output", tunnel_output, "table or json")
        ->check(CLI::IsMember({"table", "json"}));

    SetupCommands setup_commands;
    setup_commands.add(app);

    std::unique_ptr<plugins::PluginRegistry> command_plugins;
    PluginCli plugin_cli;
    try {
        if (!pre.first_word.empty() &&
            std::find(kBuiltins.begin(), kBuiltins.end(), pre.first_word) == kBuiltins.end()) {
            command_plugins = load_command_plugins(pre);
            for (auto& p : command_plugins->plugins()) {
                for (const auto& spec : p.host->commands()) plugin_cli.add(app, spec);
            }
            // --config/--data-dir/--plugins-dir are accepted on every level of a plugin command.
            std::function<void(CLI::App*)> add_everywhere = [&](CLI::App* cmd) {
                if (cmd->get_option_no_throw("--config") == nullptr)
                    add_location_options(*cmd, cli);
                for (auto* sub : cmd->get_subcommands([](CLI::App*) { return true; }))
                    add_everywhere(sub);
            };
            for (auto* sub : app.get_subcommands([](CLI::App*) { return true; })) {
                if (sub->get_name() == pre.first_word) add_everywhere(sub);
            }
        }
    } catch (const std::exception& e) {
        std::cerr << "mcpproxy: " << e.what() << "\n";
        return 1;
    }

    std::vector<std::string> args(pre.args.rbegin(), pre.args.rend());
    try {
        app.parse(args);
    } catch (const CLI::ParseError& e) {
        return app.exit(e);
    }

    try {
        if (serve->parsed()) {
            auto config = effective_config(cli);
            log::configure(config.log_level,
                           config.log_format == "json" ? log::Format::json : log::Format::text);
            serve_options.reload_config = [cli] { return effective_config(cli); };
            serve_options.busy_poll = std::chrono::microseconds(busy_poll_us);
            Server server(std::move(config), serve_options);
            server.start();
            return server.run();
        }
        if (app.got_subcommand("version")) return print_version();
        if (plugins_list->parsed()) return list_plugins(cli, output);
        if (config_check->parsed()) return check_config(config_file);
        if (admin_key_show->parsed()) {
            const auto config = effective_config(cli);
            util::ensure_private_directory(config.data_dir);
            std::cout << mgmt::load_or_create_admin_key(config.data_dir, config.api_key) << "\n";
            return 0;
        }
        if (activity_list->parsed())
            return list_activity_command(effective_config(cli).data_dir, activity_options);
        if (activity_export->parsed()) {
            activity_options.output = export_format;
            return export_activity_command(effective_config(cli).data_dir, activity_options);
        }
        if (tunnel_status->parsed())
            return tunnel_status_command(effective_config(cli).data_dir, tunnel_output);
        if (auto code = setup_commands.run_selected()) return *code;
        if (auto code = plugin_cli.run_selected()) return *code;
    } catch (const std::exception& e) {
        std::cerr << "mcpproxy: " << e.what() << "\n";
        return 1;
    }
    std::cerr << app.help();
    return 2;
}

}  // namespace mcpproxy::app
