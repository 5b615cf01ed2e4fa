#pragma once

#include <memory>
#include <string>

#include <spdlog/logger.h>

#include "kernel/config/config.hpp"
#include "kernel/net/connection_registry.hpp"
#include "kernel/net/http_types.hpp"
#include "kernel/net/route_table.hpp"

namespace mcpproxy::net {

// What every connection of one listener shares.
struct ListenerContext {
    std::string name;
    std::shared_ptr<const RouteTable> routes;
    config::ListenerLimits limits;
    ConnectionRegistry connections;
    std::shared_ptr<spdlog::logger> log;
};

// Serves HTTP/1.1 requests on one connection until it closes: enforces the header and body size
// limits and timeouts, answers 100-continue, routes each request, keeps alive when asked.
Awaitable<void> run_http_session(std::shared_ptr<beast::tcp_stream> stream,
                                 std::shared_ptr<ListenerContext> context);

}  // namespace mcpproxy::net
