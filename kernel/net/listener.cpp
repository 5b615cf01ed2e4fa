#include "kernel/net/listener.hpp"

#include <unistd.h>

#include <stdexcept>

namespace mcpproxy::net {
namespace {

constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

Awaitable<void> reject_overloaded(asio::ip::tcp::socket socket) {
    beast::tcp_stream stream(std::move(socket));
    Response res{http::status::service_unavailable, 11};
    res.keep_alive(false);
    res.set(http::field::retry_after, "1");
    res.content_length(0);
    stream.expires_after(std::chrono::seconds(5));
    co_await http::async_write(stream, res, kTuple);
    beast::error_code ignored;
    stream.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
}

// Moves an accepted socket to the io_context that will serve it; false (socket closed) on failure.
bool rehome(asio::ip::tcp::socket& socket, asio::io_context& target) {
    if (&asio::query(socket.get_executor(), asio::execution::context) == &target) return true;
    beast::error_code ec;
    const auto protocol = socket.local_endpoint(ec).protocol();
    if (ec) return false;
    const auto fd = socket.release(ec);
    if (ec) return false;
    asio::ip::tcp::socket moved(target);
    moved.assign(protocol, fd, ec);
    if (ec) {
        ::close(fd);
        return false;
    }
    socket = std::move(moved);
    return true;
}

}  // namespace

Listener::Listener(asio::io_context& io, util::HostPort address,
                   std::shared_ptr<ListenerContext> context, IoPool* pool)
    : io_(io),
      pool_(pool),
      requested_(std::move(address)),
      context_(std::move(context)),
      acceptor_(io) {}

util::HostPort Listener::bind() {
    asio::ip::tcp::resolver resolver(io_);
    beast::error_code ec;
    const auto results = resolver.resolve(requested_.host, std::to_string(requested_.port),
                                          asio::ip::resolver_base::passive, ec);
    if (ec || results.empty()) {
        throw std::runtime_error("cannot resolve listen address " + requested_.to_string() + ": " +
                                 ec.message());
    }
    const auto endpoint = results.begin()->endpoint();
    acceptor_.open(endpoint.protocol(), ec);
    if (!ec) acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) acceptor_.bind(endpoint, ec);
    if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) {
        throw std::runtime_error("cannot listen on " + requested_.to_string() + ": " +
                                 ec.message());
    }
    const auto local = acceptor_.local_endpoint();
    bound_ = util::HostPort{local.address().to_string(), local.port()};
    return bound_;
}

void Listener::start() {
    asio::co_spawn(acceptor_.get_executor(), accept_loop(), asio::detached);
}

void Listener::stop_accepting() {
    asio::post(acceptor_.get_executor(), [self = shared_from_this()] {
        beast::error_code ignored;
        self->acceptor_.close(ignored);
    });
}

Awaitable<void> Listener::accept_loop() {
    auto self = shared_from_this();
    for (;;) {
        asio::any_io_executor home = acceptor_.get_executor();
        if (pool_ == nullptr) home = asio::make_strand(io_);
        auto [ec, socket] = co_await acceptor_.async_accept(home, kTuple);
        if (ec == asio::error::operation_aborted || !acceptor_.is_open()) break;
        if (ec) {
            context_->log->warn("listener {}: accept failed: {}", context_->name, ec.message());
            // Out of file descriptors: give connections a moment to close instead of spinning.
            asio::steady_timer pause(io_, std::chrono::milliseconds(50));
            co_await pause.async_wait(kTuple);
            continue;
        }
        // Placed once accepted, not before: a choice made before a long wait would be stale.
        const std::size_t slot = pool_ != nullptr ? pool_->least_loaded() : 0;
        if (pool_ != nullptr && !rehome(socket, pool_->at(slot))) continue;
        if (context_->connections.stopping()) break;
        const auto executor = socket.get_executor();
        if (context_->connections.size() >= context_->limits.max_connections) {
            if (context_->tls) {  // no plain-text 503 on a TLS port: the client sees a close
                beast::error_code ignored;
                socket.close(ignored);
                continue;
            }
            asio::co_spawn(executor, reject_overloaded(std::move(socket)), asio::detached);
            continue;
        }
        beast::error_code ignored;
        socket.set_option(asio::ip::tcp::no_delay(true), ignored);
        if (pool_ != nullptr) pool_->connection_opened(slot);
        auto closed = [pool = pool_, slot](const std::exception_ptr&) {
            if (pool != nullptr) pool->connection_closed(slot);
        };
        if (context_->tls) {
            auto tls = context_->tls->current();
            auto stream = std::make_shared<TlsStream>(std::move(socket), *tls);
            asio::co_spawn(executor, run_https_session(std::move(stream), std::move(tls), context_),
                           closed);
            continue;
        }
        auto stream = std::make_shared<beast::tcp_stream>(std::move(socket));
        asio::co_spawn(executor, run_http_session(std::move(stream), context_), closed);
    }
}

}  // namespace mcpproxy::net
