#include "kernel/net/http_session.hpp"

#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <array>
#include <boost/asio/experimental/awaitable_operators.hpp>

#include "kernel/net/response_head.hpp"
#include "kernel/net/responses.hpp"
#include "kernel/util/random.hpp"

namespace mcpproxy::net {
namespace {

constexpr auto kWriteTimeout = std::chrono::seconds(30);
constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

// The TCP layer under a plain or a TLS stream: deadlines and closing act there.
beast::tcp_stream& tcp_of(beast::tcp_stream& stream) {
    return stream;
}
beast::tcp_stream& tcp_of(TlsStream& stream) {
    return stream.next_layer();
}

// Not final: under clang 14 Asio's is_executor probe derives from it (the fuzz preset builds this).
template <class Stream>
class StreamExchange : public HttpExchange {
public:
    StreamExchange(Stream& stream, Request request, const ConnectionInfo& connection)
        : HttpExchange(std::move(request), connection, util::next_request_id()), stream_(stream) {}

    Awaitable<void> respond(Response response) override {
        response.set("X-Request-Id", request_id_);
        responded_ = true;
        keep_alive_ = response.keep_alive();
        tcp_of(stream_).expires_after(kWriteTimeout);
        if (auto head = plain_response_head(response)) {
            const std::array<asio::const_buffer, 2> pieces{asio::buffer(*head),
                                                           asio::buffer(response.body())};
            auto [ec, n] = co_await asio::async_write(stream_, pieces, kTuple);
            bytes_out_ += n;
            if (ec) broken_ = true;
            co_return;
        }
        auto [ec, n] = co_await http::async_write(stream_, response, kTuple);
        bytes_out_ += n;
        if (ec) broken_ = true;
    }

    Awaitable<bool> begin_stream(StreamHeader header) override {
        header.set("X-Request-Id", request_id_);
        header.chunked(true);
        // The connection ends with the stream (see reusable()): say so, so that a client does not
        // pool it and send its next request into the close.
        header.keep_alive(false);
        responded_ = true;
        streaming_ = true;
        http::response_serializer<http::empty_body> serializer{header};
        tcp_of(stream_).expires_after(kWriteTimeout);
        auto [ec, n] = co_await http::async_write_header(stream_, serializer, kTuple);
        bytes_out_ += n;
        if (ec) broken_ = true;
        co_return !broken_;
    }

    Awaitable<bool> write_chunk(std::string_view data) override {
        if (broken_) co_return false;
        tcp_of(stream_).expires_after(kWriteTimeout);
        auto [ec, n] =
            co_await asio::async_write(stream_, http::make_chunk(asio::buffer(data)), kTuple);
        bytes_out_ += n;
        if (ec) broken_ = true;
        co_return !broken_;
    }

    Awaitable<void> end_stream() override {
        if (broken_) co_return;
        tcp_of(stream_).expires_after(kWriteTimeout);
        auto [ec, n] = co_await asio::async_write(stream_, http::make_chunk_last(), kTuple);
        bytes_out_ += n;
        if (ec) broken_ = true;
    }

    // Whether the connection can carry another request after this exchange.
    [[nodiscard]] bool reusable() const { return !broken_ && !streaming_ && keep_alive_; }

private:
    Stream& stream_;
    bool streaming_ = false;
    bool broken_ = false;
    bool keep_alive_ = false;
};

// Answers a request the session cannot read to the end, then the connection closes.
template <class Stream>
Awaitable<void> reject(Stream& stream, http::status status) {
    Response res{status, 11};
    res.keep_alive(false);
    res.set(http::field::connection, "close");
    res.set("X-Request-Id", util::next_request_id());
    res.content_length(0);
    tcp_of(stream).expires_after(kWriteTimeout);
    co_await http::async_write(stream, res, kTuple);
}

// A read deadline that, unlike tcp_stream's own expiry, leaves the socket open when it fires, so
// that a 408 can still be written. It cancels the pending read and remembers that it fired.
template <class Stream>
class ReadDeadline {
public:
    explicit ReadDeadline(const std::shared_ptr<Stream>& stream)
        : state_(std::make_shared<State>(stream)) {}
    ~ReadDeadline() { state_->timer.cancel(); }
    ReadDeadline(const ReadDeadline&) = delete;
    ReadDeadline& operator=(const ReadDeadline&) = delete;

    void arm(std::chrono::milliseconds after) {
        state_->fired = false;
        state_->timer.expires_after(after);
        state_->timer.async_wait([state = state_](const beast::error_code& ec) {
            if (ec) return;
            state->fired = true;
            if (auto s = state->stream.lock()) {
                beast::error_code ignored;
                tcp_of(*s).socket().cancel(ignored);
            }
        });
    }
    void disarm() { state_->timer.cancel(); }
    [[nodiscard]] bool fired() const { return state_->fired; }

private:
    struct State {
        explicit State(const std::shared_ptr<Stream>& s) : timer(s->get_executor()), stream(s) {}
        asio::steady_timer timer;
        std::weak_ptr<Stream> stream;
        bool fired = false;
    };
    std::shared_ptr<State> state_;
};

std::optional<http::status> status_for_read_error(const beast::error_code& ec, bool got_some) {
    if (ec == http::error::header_limit) return http::status::request_header_fields_too_large;
    if (ec == http::error::body_limit) return http::status::payload_too_large;
    if (ec == beast::error::timeout) {
        return got_some ? std::optional(http::status::request_timeout) : std::nullopt;
    }
    if (ec == http::error::end_of_stream || ec == asio::error::eof ||
        ec == asio::error::connection_reset || ec == asio::error::operation_aborted ||
        ec == asio::error::bad_descriptor) {
        return std::nullopt;
    }
    return http::status::bad_request;  // malformed request line, header, chunking, ...
}

Awaitable<void> dispatch(HttpExchange& exchange, const ListenerContext& context) {
    const Handler* handler = context.routes->find(exchange.path());
    if (handler == nullptr) {
        co_await exchange.respond(empty_response(http::status::not_found, exchange.request()));
        co_return;
    }
    try {
        co_await (*handler)(exchange);
    } catch (const std::exception& e) {
        context.log->error("request {} {} failed: {}", exchange.request_id(), exchange.path(),
                           e.what());
    }
    if (!exchange.responded()) {
        co_await exchange.respond(
            empty_response(http::status::internal_server_error, exchange.request()));
    }
}

// Before the first request: nothing on a plain connection; on TLS the handshake, bounded by the
// header timeout, and the verified client certificate (only a verified one) for the auth bridges.
Awaitable<bool> open_stream(beast::tcp_stream& /*stream*/, const config::ListenerLimits& /*limits*/,
                            ConnectionInfo& /*connection*/) {
    co_return true;
}

Awaitable<bool> open_stream(TlsStream& stream, const config::ListenerLimits& limits,
                            ConnectionInfo& connection) {
    stream.next_layer().expires_after(limits.header_timeout);
    auto [ec] = co_await stream.async_handshake(asio::ssl::stream_base::server, kTuple);
    stream.next_layer().expires_never();
    if (ec) co_return false;
    connection.tls = true;
    SSL* ssl = stream.native_handle();
    X509* peer = SSL_get0_peer_certificate(ssl);
    if (peer != nullptr && SSL_get_verify_result(ssl) == X509_V_OK) {
        const int size = i2d_X509(peer, nullptr);
        if (size > 0) {
            connection.peer_certificate_der.resize(static_cast<std::size_t>(size));
            auto* out = reinterpret_cast<unsigned char*>(connection.peer_certificate_der.data());
            i2d_X509(peer, &out);
        }
    }
    co_return true;
}

// Plain or TLS alike: the TCP connection is closed without waiting for the peer. (No TLS
// close_notify exchange: every response is length-delimited, so a client cannot be fooled by a
// truncation, and a slow peer cannot hold the connection open.)
void close_stream(beast::tcp_stream& stream) {
    beast::error_code ignored;
    stream.socket().shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
    stream.close();
}

// tls: the context the stream was made with, held for the connection's life (a reload may drop
// the listener's reference meanwhile); null for plain connections.
template <class Stream>
Awaitable<void> serve_connection(std::shared_ptr<Stream> stream,
                                 std::shared_ptr<ListenerContext> context,
                                 std::shared_ptr<asio::ssl::context> tls) {
    ConnectionInfo connection;
    connection.listener_name = context->name;
    {
        beast::error_code ec;
        const auto remote = tcp_of(*stream).socket().remote_endpoint(ec);
        if (!ec) {
            connection.peer_address = remote.address().to_string();
            connection.peer_port = remote.port();
        }
    }
    std::weak_ptr<Stream> weak = stream;
    auto executor = stream->get_executor();
    auto entry = context->connections.add([weak, executor] {
        asio::post(executor, [weak] {
            if (auto s = weak.lock()) {
                beast::error_code ignored;
                tcp_of(*s).socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
                tcp_of(*s).socket().close(ignored);
            }
        });
    });
    const auto& limits = context->limits;
    if (!co_await open_stream(*stream, limits, connection)) {
        tcp_of(*stream).close();
        context->connections.remove(entry);
        co_return;
    }
    ReadDeadline<Stream> deadline(stream);
    beast::flat_buffer buffer;
    bool first = true;
    while (!context->connections.stopping()) {
        http::request_parser<http::string_body> parser;
        parser.header_limit(static_cast<std::uint32_t>(limits.max_header_bytes));
        parser.body_limit(limits.max_body_bytes);
        tcp_of(*stream).expires_never();
        deadline.arm(first || buffer.size() > 0 ? limits.header_timeout : limits.idle_timeout);
        first = false;
        auto [ec, header_bytes] = co_await http::async_read_header(*stream, buffer, parser, kTuple);
        (void)header_bytes;
        deadline.disarm();
        if (ec && deadline.fired()) ec = beast::error::timeout;
        if (ec) {
            if (auto status = status_for_read_error(ec, parser.got_some() || buffer.size() > 0)) {
                co_await reject(*stream, *status);
            }
            break;
        }
        entry->busy = true;
        const auto& head = parser.get();
        // RFC 9112 6.1: with a Transfer-Encoding whose final coding is not chunked the body length
        // is unknown. Beast would read no body and parse the body as the next request: a desync a
        // proxy or tunnel in front could smuggle a request through. Refuse and close instead.
        if (head.count(http::field::transfer_encoding) > 0 && !parser.chunked()) {
            co_await reject(*stream, http::status::bad_request);
            break;
        }
        if (beast::iequals(head[http::field::expect], "100-continue")) {
            http::response<http::empty_body> go_on{http::status::continue_, head.version()};
            tcp_of(*stream).expires_after(kWriteTimeout);
            co_await http::async_write(*stream, go_on, kTuple);
        }
        if (!parser.is_done()) {
            deadline.arm(limits.body_timeout);
            auto [body_ec, n] = co_await http::async_read(*stream, buffer, parser, kTuple);
            deadline.disarm();
            if (body_ec && deadline.fired()) body_ec = beast::error::timeout;
            if (body_ec) {
                if (auto status = status_for_read_error(body_ec, true)) {
                    co_await reject(*stream, *status);
                }
                break;
            }
        }
        tcp_of(*stream).expires_never();
        StreamExchange<Stream> exchange(*stream, parser.release(), connection);
        co_await dispatch(exchange, *context);
        entry->busy = false;
        if (!exchange.reusable()) break;
    }
    close_stream(tcp_of(*stream));
    context->connections.remove(entry);
    stream.reset();
    tls.reset();  // after the stream that was made with it
}

}  // namespace

// Not coroutines themselves: they hand back the session's awaitable, so no shared_ptr temporary
// sits inside a co_await expression (GCC 12 destroys such temporaries twice).
Awaitable<void> run_http_session(std::shared_ptr<beast::tcp_stream> stream,
                                 std::shared_ptr<ListenerContext> context) {
    return serve_connection(std::move(stream), std::move(context), nullptr);
}

Awaitable<void> run_https_session(std::shared_ptr<TlsStream> stream,
                                  std::shared_ptr<asio::ssl::context> tls,
                                  std::shared_ptr<ListenerContext> context) {
    return serve_connection(std::move(stream), std::move(context), std::move(tls));
}

}  // namespace mcpproxy::net
