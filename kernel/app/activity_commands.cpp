#include "kernel/app/activity_commands.hpp"

#include <filesystem>
#include <iostream>

#include "kernel/activity/activity_query.hpp"
#include "kernel/activity/sqlite_activity_store.hpp"

namespace mcpproxy::app {
namespace {

activity::ActivityFilter filter_from(const ActivityQueryOptions& o) {
    activity::ActivityFilter f;
    f.identity = o.agent;
    f.server = o.server;
    f.method = o.method;
    if (o.decision) f.decision = activity::parse_decision(*o.decision);
    if (o.since) f.since = activity::parse_since(*o.since);
    f.limit = o.limit;
    return f;
}

std::unique_ptr<activity::SqliteActivityStore> open_store(const std::string& data_dir) {
    if (!std::filesystem::exists(std::filesystem::path(data_dir) /
                                 activity::SqliteActivityStore::kFileName)) {
        return nullptr;
    }
    activity::SqliteStoreOptions options;
    options.read_only = true;
    return std::make_unique<activity::SqliteActivityStore>(data_dir, options);
}

}  // namespace

int list_activity_command(const std::string& data_dir, const ActivityQueryOptions& options) {
    const auto format = activity::parse_list_format(options.output);
    auto store = open_store(data_dir);
    if (!store) {
        std::cout << (format == activity::ListFormat::json ? "[]\n"
                                                           : "(no activity recorded yet)\n");
        return 0;
    }
    activity::list_activity(*store, filter_from(options), format, std::cout);
    return 0;
}

int export_activity_command(const std::string& data_dir, const ActivityQueryOptions& options) {
    const auto format = activity::parse_export_format(options.output);
    auto store = open_store(data_dir);
    if (!store) return 0;
    auto filter = filter_from(options);
    filter.limit = 0;
    filter.order = activity::Order::oldest_first;
    activity::export_activity(*store, filter, format, std::cout);
    return 0;
}

}  // namespace mcpproxy::app
