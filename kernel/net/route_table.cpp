#include "kernel/net/route_table.hpp"

namespace mcpproxy::net {

void RouteTable::add(std::string path, Handler handler) {
    exact_.insert_or_assign(std::move(path), std::move(handler));
}

void RouteTable::add_prefix(std::string prefix, Handler handler) {
    prefixes_.insert_or_assign(std::move(prefix), std::move(handler));
}

const Handler* RouteTable::find(std::string_view path) const {
    if (const auto it = exact_.find(path); it != exact_.end()) return &it->second;
    for (const auto& [prefix, handler] : prefixes_) {
        if (path.starts_with(prefix)) return &handler;
    }
    return nullptr;
}

}  // namespace mcpproxy::net
