#include "kernel/upstream/http/http_connection.hpp"

#include <sys/socket.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <cerrno>
#include <stdexcept>

#include "kernel/upstream/http/http_tls.hpp"

namespace mcpproxy::upstream::http {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using asio::ip::tcp;

namespace {
constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);
constexpr std::size_t kMaxResponseHeaderBytes = 64 * 1024;
constexpr std::size_t kSmallWriteBytes = 8 * 1024;
}  // namespace

HttpConnection::HttpConnection(const asio::any_io_executor& executor,
                               std::shared_ptr<asio::ssl::context> tls, bool verify_peer)
    : executor_(executor), tls_context_(std::move(tls)), verify_peer_(verify_peer) {
    if (tls_context_) {
        tls_.emplace(executor_, *tls_context_);
    } else {
        plain_.emplace(executor_);
    }
}

beast::tcp_stream& HttpConnection::tcp() {
    return tls_ ? tls_->next_layer() : *plain_;
}
const beast::tcp_stream& HttpConnection::tcp() const {
    return tls_ ? tls_->next_layer() : *plain_;
}

void HttpConnection::arm(Clock::duration timeout) {
    auto at = Clock::now() + timeout;
    if (deadline_ && *deadline_ < at) at = *deadline_;
    tcp().expires_at(at);
}

void HttpConnection::arm_unbounded() {
    if (deadline_) {
        tcp().expires_at(*deadline_);
    } else {
        tcp().expires_never();
    }
}

asio::awaitable<void> HttpConnection::connect(const UpstreamUrl& url, Clock::duration timeout) {
    const std::string where = url.host_header;
    const auto started = Clock::now();
    boost::system::error_code ec;
    const auto address = asio::ip::make_address(url.host, ec);
    std::vector<tcp::endpoint> endpoints;
    if (!ec) {
        endpoints.emplace_back(address, static_cast<unsigned short>(std::stoul(url.port)));
    } else {
        // Resolution has no deadline of its own: a timer cancels it.
        resolver_.emplace(executor_);
        asio::steady_timer timer(executor_, timeout);
        timer.async_wait([this](const boost::system::error_code& e) {
            if (!e && resolver_) resolver_->cancel();
        });
        auto [rec, results] = co_await resolver_->async_resolve(url.host, url.port, kTuple);
        timer.cancel();
        resolver_.reset();
        if (closed_) throw std::runtime_error("connection to " + where + " was cancelled");
        if (rec == asio::error::operation_aborted) {
            throw std::runtime_error("cannot resolve " + url.host + ": timed out");
        }
        if (rec) throw std::runtime_error("cannot resolve " + url.host + ": " + rec.message());
        for (const auto& entry : results) endpoints.push_back(entry.endpoint());
    }
    if (closed_) throw std::runtime_error("connection to " + where + " was cancelled");
    const auto remaining = timeout - (Clock::now() - started);
    arm(remaining > Clock::duration::zero() ? remaining : Clock::duration::zero());
    auto [cec, endpoint] = co_await tcp().async_connect(endpoints, kTuple);
    if (cec) {
        if (cec == beast::error::timeout) {
            throw std::runtime_error("cannot connect to " + where + ": timed out");
        }
        throw std::runtime_error("cannot connect to " + where + ": " + cec.message());
    }
    (void)endpoint;
    tcp().socket().set_option(tcp::no_delay(true), ec);
    if (tls_) {
        prepare_tls_connection(tls_->native_handle(), url.host, verify_peer_);
        auto [hec] = co_await tls_->async_handshake(asio::ssl::stream_base::client, kTuple);
        if (hec) {
            throw std::runtime_error("TLS handshake with " + where + " failed: " +
                                     (hec == beast::error::timeout
                                          ? std::string("timed out")
                                          : describe_tls_failure(tls_->native_handle(), hec)));
        }
    }
    arm_unbounded();
}

asio::awaitable<void> HttpConnection::write(std::string_view head, std::string_view body,
                                            Clock::duration timeout) {
    const std::array<asio::const_buffer, 2> buffers{asio::buffer(head), asio::buffer(body)};
    // A small request fits the empty send buffer of a fresh or idle connection and is written at
    // once; arming the timer would only cost a timer-queue update and a syscall per request.
    if (head.size() + body.size() <= kSmallWriteBytes && !deadline_) {
        arm_unbounded();
    } else {
        arm(timeout);
    }
    boost::system::error_code ec;
    if (tls_) {
        std::tie(ec, std::ignore) = co_await asio::async_write(*tls_, buffers, kTuple);
    } else {
        std::tie(ec, std::ignore) = co_await asio::async_write(*plain_, buffers, kTuple);
    }
    if (ec) throw boost::system::system_error(ec);
}

asio::awaitable<void> HttpConnection::read_header() {
    parser_.emplace();
    parser_->header_limit(kMaxResponseHeaderBytes);
    parser_->body_limit(boost::none);  // event streams are unbounded; JSON is capped by the caller
    arm_unbounded();
    boost::system::error_code ec;
    if (tls_) {
        std::tie(ec, std::ignore) =
            co_await bhttp::async_read_header(*tls_, buffer_, *parser_, kTuple);
    } else {
        std::tie(ec, std::ignore) =
            co_await bhttp::async_read_header(*plain_, buffer_, *parser_, kTuple);
    }
    if (ec) throw boost::system::system_error(ec);
}

asio::awaitable<std::string_view> HttpConnection::read_body_some() {
    auto& body = parser_->get().body();
    while (!parser_->is_done()) {
        body.data = chunk_.data();
        body.size = chunk_.size();
        boost::system::error_code ec;
        if (tls_) {
            std::tie(ec, std::ignore) =
                co_await bhttp::async_read_some(*tls_, buffer_, *parser_, kTuple);
        } else {
            std::tie(ec, std::ignore) =
                co_await bhttp::async_read_some(*plain_, buffer_, *parser_, kTuple);
        }
        if (ec == bhttp::error::need_buffer) ec = {};
        if (ec) throw boost::system::system_error(ec);
        const std::size_t got = chunk_.size() - body.size;
        if (got > 0) co_return std::string_view(chunk_.data(), got);
    }
    co_return std::string_view{};
}

bool HttpConnection::reusable() const {
    return !closed_ && parser_ && parser_->is_done() && parser_->get().keep_alive() &&
           tcp().socket().is_open();
}

bool HttpConnection::looks_alive() {
    if (closed_ || buffer_.size() != 0 || !tcp().socket().is_open()) return false;
    char probe = 0;
    const auto n = ::recv(tcp().socket().native_handle(), &probe, 1, MSG_PEEK | MSG_DONTWAIT);
    return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
}

bool HttpConnection::is_open() const {
    return !closed_ && tcp().socket().is_open();
}

void HttpConnection::close() {
    if (closed_) return;
    closed_ = true;
    if (resolver_) resolver_->cancel();
    boost::system::error_code ignored;
    tcp().socket().shutdown(tcp::socket::shutdown_both, ignored);
    tcp().close();
}

}  // namespace mcpproxy::upstream::http
