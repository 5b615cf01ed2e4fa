#pragma once

#include <optional>
#include <string>

namespace mcpproxy::app {

struct ActivityQueryOptions {
    std::optional<std::string> agent;
    std::optional<std::string> server;
    std::optional<std::string> since;
    std::optional<std::string> decision;
    std::optional<std::string> method;
    std::size_t limit = 100;
    std::string output = "table";  // list: table|json; export: jsonl|csv
};

// `mcpproxy activity list` and `mcpproxy activity export`, read-only on <data_dir>/activity.db.
int list_activity_command(const std::string& data_dir, const ActivityQueryOptions& options);
int export_activity_command(const std::string& data_dir, const ActivityQueryOptions& options);

}  // namespace mcpproxy::app
