#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>

#include "kernel/net/http_exchange.hpp"

namespace mcpproxy::net {

using Handler = std::function<Awaitable<void>(HttpExchange&)>;

// Exact-path routes of one listener. Anything not routed gets 404 with an empty body.
// Built before the listener starts, then read concurrently without locks.
class RouteTable {
public:
    void add(std::string path, Handler handler);
    // A prefix route ("/ui/") for paths below it; exact routes win.
    void add_prefix(std::string prefix, Handler handler);
    [[nodiscard]] const Handler* find(std::string_view path) const;

private:
    std::map<std::string, Handler, std::less<>> exact_;
    std::map<std::string, Handler, std::less<>> prefixes_;
};

}  // namespace mcpproxy::net
