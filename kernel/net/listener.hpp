#pragma once

#include <memory>
#include <string>

#include "kernel/net/http_session.hpp"
#include "kernel/net/io_pool.hpp"
#include "kernel/util/host_port.hpp"

namespace mcpproxy::net {

// Accepts connections on one address and hands each to an HTTP session. Over the connection
// limit, a connection is answered 503 and closed. With a pool, each connection lives on the pool's
// least-loaded context; without one, on a strand of `io`.
class Listener : public std::enable_shared_from_this<Listener> {
public:
    Listener(asio::io_context& io, util::HostPort address, std::shared_ptr<ListenerContext> context,
             IoPool* pool = nullptr);

    // Binds and listens; throws std::runtime_error naming the address (e.g. "address in use").
    // Returns the bound address (the real port when 0 was asked for).
    util::HostPort bind();
    void start();
    void stop_accepting();

    [[nodiscard]] const std::shared_ptr<ListenerContext>& context() const { return context_; }
    [[nodiscard]] const util::HostPort& bound_address() const { return bound_; }

private:
    Awaitable<void> accept_loop();

    asio::io_context& io_;
    IoPool* pool_;
    util::HostPort requested_;
    util::HostPort bound_;
    std::shared_ptr<ListenerContext> context_;
    asio::ip::tcp::acceptor acceptor_;
};

}  // namespace mcpproxy::net
