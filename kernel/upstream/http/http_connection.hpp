#pragma once

#include <array>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <chrono>
#include <memory>
#include <optional>
#include <string_view>

#include "kernel/upstream/http/http_url.hpp"

namespace mcpproxy::upstream::http {

using ResponseParser = boost::beast::http::response_parser<boost::beast::http::buffer_body>;

// One HTTP/1.1 connection (plain or TLS) to an upstream, carrying one exchange at a time.
// Not thread-safe: every call, and every coroutine using it, runs on the executor it was made
// with (the transport's strand), which is also where close() must be called.
class HttpConnection {
public:
    using Clock = std::chrono::steady_clock;

    HttpConnection(const boost::asio::any_io_executor& executor,
                   std::shared_ptr<boost::asio::ssl::context> tls, bool verify_peer);
    HttpConnection(const HttpConnection&) = delete;
    HttpConnection& operator=(const HttpConnection&) = delete;

    // Resolves, connects (TCP_NODELAY) and, for https, completes the TLS handshake, all within
    // timeout. Throws std::runtime_error with a message naming host:port and the cause.
    boost::asio::awaitable<void> connect(const UpstreamUrl& url, Clock::duration timeout);
    // Writes a request (head and body) within timeout. Throws boost::system::system_error.
    boost::asio::awaitable<void> write(std::string_view head, std::string_view body,
                                       Clock::duration timeout);
    // Reads the status line and headers of the next response, with no time limit (but bounded
    // by the deadline if one is set). Throws boost::system::system_error.
    boost::asio::awaitable<void> read_header();
    // Reads the next piece of the response body as it arrives; empty once the body is complete.
    // The view is valid until the next call. Throws boost::system::system_error.
    boost::asio::awaitable<std::string_view> read_body_some();

    [[nodiscard]] ResponseParser& response() { return *parser_; }
    // Every later operation must end by this time (used for the bounded DELETE at close).
    void set_deadline(std::optional<Clock::time_point> deadline) { deadline_ = deadline; }
    // Whether the response was read completely and allows another request on this connection.
    [[nodiscard]] bool reusable() const;
    // An idle connection the server may have closed meanwhile: true while nothing is readable.
    [[nodiscard]] bool looks_alive();
    [[nodiscard]] bool is_open() const;
    // When the connection was last handed back to the pool.
    void mark_idle() { idle_since_ = Clock::now(); }
    [[nodiscard]] Clock::time_point idle_since() const { return idle_since_; }
    // Cancels whatever is in progress and closes the socket. Idempotent.
    void close();

private:
    boost::beast::tcp_stream& tcp();
    [[nodiscard]] const boost::beast::tcp_stream& tcp() const;
    void arm(Clock::duration timeout);
    void arm_unbounded();

    boost::asio::any_io_executor executor_;
    std::shared_ptr<boost::asio::ssl::context> tls_context_;
    bool verify_peer_;
    std::optional<boost::beast::tcp_stream> plain_;
    std::optional<boost::beast::ssl_stream<boost::beast::tcp_stream>> tls_;
    std::optional<boost::asio::ip::tcp::resolver> resolver_;
    boost::beast::flat_buffer buffer_;
    std::optional<ResponseParser> parser_;
    std::optional<Clock::time_point> deadline_;
    bool closed_ = false;
    Clock::time_point idle_since_{};
    std::array<char, 16 * 1024> chunk_{};
};

}  // namespace mcpproxy::upstream::http
