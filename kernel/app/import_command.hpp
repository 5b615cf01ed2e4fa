#pragma once

#include <iosfwd>
#include <string>

namespace mcpproxy::app {

struct ImportOptions {
    std::string from;         // claude-desktop | claude-code | cursor | vscode | a file path
    std::string config_file;  // the config to merge into; empty: ~/.mcpproxy/mcp_config.json
    bool dry_run = false;
    bool approve = false;  // new servers callable at once instead of quarantined
};

// `mcpproxy import`: reads another client's server list, shows what changes, merges it into the
// config (written atomically, mode 0600). Returns the exit code.
int import_command(const ImportOptions& options, std::ostream& out, std::ostream& err);

}  // namespace mcpproxy::app
