#pragma once

#include <spdlog/logger.h>

#include <boost/asio/ssl/context.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <memory>
#include <string>

#include "kernel/config/config.hpp"
#include "kernel/net/connection_registry.hpp"
#include "kernel/net/http_types.hpp"
#include "kernel/net/route_table.hpp"
#include "kernel/net/tls_server_context.hpp"

namespace mcpproxy::net {

// What every connection of one listener shares.
struct ListenerContext {
    std::string name;
    std::shared_ptr<const RouteTable> routes;
    config::ListenerLimits limits;
    ConnectionRegistry connections;
    std::shared_ptr<spdlog::logger> log;
    std::shared_ptr<TlsContextSource> tls;  // null: plain HTTP
};

using TlsStream = beast::ssl_stream<beast::tcp_stream>;

// Serves HTTP/1.1 requests on one connection until it closes: enforces the header and body size
// limits and timeouts, answers 100-continue, routes each request, keeps alive when asked.
// Plain and TLS connections share this one implementation (a template over the stream type).
Awaitable<void> run_http_session(std::shared_ptr<beast::tcp_stream> stream,
                                 std::shared_ptr<ListenerContext> context);
// TLS: handshake first (bounded by the header timeout), then as above. A failed handshake (no or
// an unverifiable client certificate where one is required) closes the connection. The stream
// must have been made with `tls`, which the session keeps alive.
Awaitable<void> run_https_session(std::shared_ptr<TlsStream> stream,
                                  std::shared_ptr<boost::asio::ssl::context> tls,
                                  std::shared_ptr<ListenerContext> context);

}  // namespace mcpproxy::net
