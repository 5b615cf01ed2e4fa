#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "kernel/importer/server_list_reader.hpp"

namespace mcpproxy::importer {

// The config after an import, and what changed, for the operator to read before it is written.
struct MergePlan {
    nlohmann::json document;         // the whole new config file
    std::vector<std::string> added;  // names
    std::vector<std::string> unchanged;
    std::vector<std::string> conflicts;       // a different server of that name is already there
    std::vector<std::string> secret_holders;  // "NAME (env: A, B)" of added servers
    std::string diff;                         // one line per server, secrets redacted
};

// Adds the servers of `list` to the config document `current` (an empty object for a new file),
// keeping every other key and the shape of its "mcpServers" (array or object). New servers are
// quarantined unless `approve`; a server already there under the same name is left as it is.
MergePlan merge_servers(const nlohmann::json& current, const ServerList& list, bool approve);

}  // namespace mcpproxy::importer
