#include "kernel/importer/client_sources.hpp"

#include <stdexcept>

namespace mcpproxy::importer {

std::vector<std::filesystem::path> client_config_paths(const std::string& client,
                                                       const std::filesystem::path& home,
                                                       const std::filesystem::path& cwd) {
    if (client == "claude-desktop") {
        return {home / ".config" / "Claude" / "claude_desktop_config.json",
                home / "Library" / "Application Support" / "Claude" / "claude_desktop_config.json"};
    }
    if (client == "claude-code") {
        // `import --from claude-code` reads every scope (claude_code_reader.hpp); these are the
        // files a single-file reader would try, most specific first.
        return {cwd / ".mcp.json", home / ".claude.json"};
    }
    if (client == "cursor") return {cwd / ".cursor" / "mcp.json", home / ".cursor" / "mcp.json"};
    if (client == "vscode") {
        return {cwd / ".vscode" / "mcp.json", home / ".config" / "Code" / "User" / "mcp.json"};
    }
    throw std::invalid_argument("unknown client \"" + client + "\"");
}

}  // namespace mcpproxy::importer
