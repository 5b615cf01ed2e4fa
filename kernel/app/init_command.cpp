#include "kernel/app/init_command.hpp"

#include <filesystem>
#include <istream>
#include <ostream>

#include "kernel/config/config_loader.hpp"
#include "kernel/util/atomic_file.hpp"
#include "kernel/util/host_port.hpp"

namespace mcpproxy::app {
namespace {

namespace fs = std::filesystem;

std::string ask(std::istream& in, std::ostream& out, const std::string& question,
                const std::string& fallback) {
    out << question << " [" << fallback << "]: " << std::flush;
    std::string answer;
    if (!std::getline(in, answer) || answer.empty()) return fallback;
    return answer;
}

}  // namespace

std::string starting_config(const InitOptions& o) {
    std::string text = R"({
  // mcpproxy config, written by `mcpproxy init`. Reference: docs/configuration.md.
  // Check it with `mcpproxy config check FILE`; a running proxy re-reads it on SIGHUP
  // (`systemctl reload mcpproxy`).

  // Where MCP clients connect: http://LISTEN/mcp. Keep it on loopback unless an auth bridge
  // plugin (e.g. "auth-agent-token") is loaded: other addresses refuse unauthenticated calls.
  "listen": ")" + o.listen +
                       R"(",

  // "retrieve_tools": one search tool plus call_tool_read/write/destructive (scales to many
  // servers); "direct": every upstream tool listed as <server>__<tool>.
  "routing_mode": "retrieve_tools",

  "log_level": "info",

  // The activity log (<data_dir>/activity.db, ~220 bytes per request): records older than
  // "retention" or beyond "max_size" are deleted, oldest first. "forever" / "unlimited" turn a
  // limit off.
  "activity": {"retention": "90d", "max_size": "1GB"},
)";
    if (o.management) {
        text += R"(
  // The web UI, REST API and /metrics, behind the admin key (`mcpproxy admin-key show`).
  "management": {"enabled": true, "listen": "127.0.0.1:8081"},
)";
    }
    text += R"(
  // Plugins by name (`mcpproxy plugins list` shows what is installed), e.g. "auth-agent-token".
  "plugins": [],

  // Upstream MCP servers. Bring the ones you have: `mcpproxy import --from claude-desktop`
  // (or claude-code, cursor, vscode, a file). Examples:
  //   {"name": "fs", "command": "npx", "args": ["-y", "@modelcontextprotocol/server-filesystem", "/srv"]}
  //   {"name": "remote", "url": "https://mcp.example.com/mcp", "headers": {"Authorization": "Bearer ..."}}
  // A new server can be added "quarantined": true until you have looked at its tools.
  "mcpServers": []
}
)";
    return text;
}

int init_command(InitOptions options, std::istream& in, std::ostream& out, std::ostream& err) {
    const fs::path target = options.config_file.empty()
                                ? fs::path(config::default_data_dir()) / "mcp_config.json"
                                : fs::path(options.config_file);
    if (fs::exists(target) && !options.force) {
        err << "mcpproxy: " << target.string()
            << " exists; keep it, or write a new one with --force (or --config OTHER)\n";
        return 1;
    }
    if (options.interactive) {
        for (;;) {
            options.listen = ask(in, out, "Address for MCP clients (HOST:PORT)", options.listen);
            if (util::parse_host_port(options.listen)) break;
            out << "expected HOST:PORT such as 127.0.0.1:8080\n";
        }
        const auto web = ask(in, out, "Serve the web UI on 127.0.0.1:8081 (y/n)",
                             options.management ? "y" : "n");
        options.management = web.starts_with("y") || web.starts_with("Y");
    } else if (!util::parse_host_port(options.listen)) {
        err << "mcpproxy: --listen: expected HOST:PORT such as 127.0.0.1:8080\n";
        return 1;
    }
    const auto text = starting_config(options);
    // What init writes must load (the loader accepts // comments).
    (void)config::parse_config(nlohmann::json::parse(text, nullptr, true, true), target.string());
    if (!target.parent_path().empty()) fs::create_directories(target.parent_path());
    util::write_file_atomically(target, text, 0600);
    out << "wrote " << target.string() << "\n"
        << "next: `mcpproxy import --from claude-desktop` (or claude-code, cursor, vscode, FILE), "
           "then `mcpproxy serve"
        << (options.config_file.empty() ? "" : " --config " + target.string()) << "`\n";
    return 0;
}

}  // namespace mcpproxy::app
