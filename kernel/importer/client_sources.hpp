#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace mcpproxy::importer {

// The clients whose MCP server lists `mcpproxy import --from` knows by name.
inline const std::vector<std::string>& known_clients() {
    static const std::vector<std::string> names{"claude-desktop", "claude-code", "cursor",
                                                "vscode"};
    return names;
}

// Where a client keeps its server list, most specific first (a project file in `cwd` before the
// user's global file). Every candidate is returned; the caller takes the first that exists.
std::vector<std::filesystem::path> client_config_paths(const std::string& client,
                                                       const std::filesystem::path& home,
                                                       const std::filesystem::path& cwd);

}  // namespace mcpproxy::importer
