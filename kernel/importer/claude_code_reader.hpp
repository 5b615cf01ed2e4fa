#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>

#include "kernel/importer/server_list_reader.hpp"

namespace mcpproxy::importer {

// True when document looks like Claude Code's ~/.claude.json (it has a "projects" object).
bool is_claude_code_user_file(const nlohmann::json& document);

// Claude Code keeps servers in three scopes: user ("mcpServers" of ~/.claude.json), local
// ("projects.<path>.mcpServers" of ~/.claude.json, one list per project) and project (the
// checked-in <project>/.mcp.json). This reads them all, in that order: user scope, then the
// project in `cwd` (its local servers, then its .mcp.json), then the other projects ~/.claude.json
// knows, sorted by path. `claude_json` is the parsed ~/.claude.json (nullopt when there is none);
// .mcp.json files are read from disk.
//
// Names: a user-scope server keeps its name. A project's server keeps its name unless another
// server already has it: an identical definition is imported once (with a note naming the other
// place), a different one becomes "<name>-<project folder>" (then "-2", "-3"...). Every
// project's server carries a note saying which project and scope it came from. .mcp.json servers
// the user declined for that project in Claude Code ("disabledMcpjsonServers") are skipped with a
// reason. Throws std::runtime_error for a .mcp.json that is not valid JSON.
ServerList read_claude_code(const std::optional<nlohmann::json>& claude_json,
                            const std::filesystem::path& claude_json_path,
                            const std::optional<std::filesystem::path>& cwd);

}  // namespace mcpproxy::importer
