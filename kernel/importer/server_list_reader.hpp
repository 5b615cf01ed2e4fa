#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace mcpproxy::importer {

// One server of another client's list, converted to an entry of mcpproxy's "mcpServers".
struct ImportedServer {
    std::string name;           // as it will be called here
    std::string original_name;  // as the source calls it (differs when it had to be renamed)
    nlohmann::json entry;       // {"name", "command", "args", "env", ...} or {"name", "url", ...}
    std::vector<std::string> notes;  // what was not carried over, renames, variables to fill in
};

struct ServerList {
    std::string format;                // which shape the document had, in words
    std::vector<std::string> sources;  // "PATH: what was found there", one per file read
    std::vector<ImportedServer> servers;
    std::vector<std::string> skipped;  // "NAME: why" for entries that cannot be imported
};

// Reads the servers of a Claude Desktop / Claude Code / Cursor document ("mcpServers" object),
// a VS Code mcp.json ("servers" object) or a Go mcpproxy mcp_config.json ("mcpServers" array).
// Every field that is not carried over is named in the server's notes. Throws
// std::invalid_argument when the document holds no server list at all.
ServerList read_server_list(const nlohmann::json& document);

// Converts one entry of a server list (name made safe, notes for what is not carried over) into
// out; returns why it cannot be imported, empty when it can.
std::string convert_server(const std::string& source_name, const nlohmann::json& entry,
                           ImportedServer& out);

// A name mcpproxy accepts (letters, digits, '_' and '-', no "__"), derived from `name`.
std::string safe_server_name(const std::string& name);

}  // namespace mcpproxy::importer
