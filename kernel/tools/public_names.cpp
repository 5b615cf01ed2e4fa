#include "tools/public_names.hpp"

#include <map>
#include <set>

#include "tools/tool_names.hpp"

namespace mcpproxy::tools {
namespace {

std::map<std::string_view, std::set<std::string_view>> servers_by_name(
    const std::vector<NamedItem>& items) {
    std::map<std::string_view, std::set<std::string_view>> servers;
    for (const auto& item : items) servers[item.name].insert(item.server);
    return servers;
}

}  // namespace

std::vector<std::string> public_names(const std::vector<NamedItem>& items, DirectNames naming) {
    const auto servers = servers_by_name(items);
    std::vector<std::string> names;
    names.reserve(items.size());
    for (const auto& item : items) {
        const bool bare = naming == DirectNames::bare && servers.at(item.name).size() == 1;
        names.push_back(bare ? std::string(item.name) : direct_name(item.server, item.name));
    }
    return names;
}

std::vector<std::string> shared_names(const std::vector<NamedItem>& items) {
    std::vector<std::string> shared;
    for (const auto& [name, servers] : servers_by_name(items)) {
        if (servers.size() > 1) shared.emplace_back(name);
    }
    return shared;
}

}  // namespace mcpproxy::tools
