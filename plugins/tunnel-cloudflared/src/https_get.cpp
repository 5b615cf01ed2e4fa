#include "https_get.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include "mcpproxy/tunnel_common/url.hpp"

namespace mcpproxy::tunnel_cloudflared {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;

namespace {

template <class Stream>
FetchResult exchange(Stream& stream, const std::string& host, const std::string& target) {
    http::request<http::empty_body> req{http::verb::get, target.empty() ? "/" : target, 11};
    req.set(http::field::host, host);
    req.set(http::field::user_agent, "mcpproxy-tunnel-cloudflared");
    req.set(http::field::accept, "application/json");
    http::write(stream, req);
    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(1024 * 1024);
    http::read(stream, buffer, parser);
    FetchResult r;
    r.status = parser.get().result_int();
    r.body = parser.get().body();
    return r;
}

}  // namespace

FetchResult https_get(const std::string& url, std::chrono::milliseconds timeout) {
    FetchResult result;
    const auto parsed = tunnel_common::parse_url(url);
    if (!parsed || (parsed->scheme != "https" && parsed->scheme != "http")) {
        result.error = "not an http(s) URL: " + url;
        return result;
    }
    const bool tls = parsed->scheme == "https";
    const auto port = std::to_string(parsed->port != 0 ? parsed->port : (tls ? 443 : 80));
    try {
        asio::io_context io;
        asio::ip::tcp::resolver resolver(io);
        const auto endpoints = resolver.resolve(parsed->host, port);
        if (!tls) {
            beast::tcp_stream stream(io);
            stream.expires_after(timeout);
            stream.connect(endpoints);
            // Sync operations ignore the stream's timer: bound them with socket options instead.
            const auto tv_ms = static_cast<int>(timeout.count());
            timeval tv{tv_ms / 1000, (tv_ms % 1000) * 1000};
            setsockopt(stream.socket().native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
            setsockopt(stream.socket().native_handle(), SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
            return exchange(stream, tunnel_common::authority_of(*parsed), parsed->path);
        }
        ssl::context ctx(ssl::context::tls_client);
        ctx.set_default_verify_paths();
        ctx.set_verify_mode(ssl::verify_peer);
        beast::ssl_stream<beast::tcp_stream> stream(io, ctx);
        // SSL_set_tlsext_host_name is a macro with an old-style cast; call what it expands to.
        if (SSL_ctrl(stream.native_handle(), SSL_CTRL_SET_TLSEXT_HOSTNAME,
                     TLSEXT_NAMETYPE_host_name, const_cast<char*>(parsed->host.c_str())) != 1) {
            result.error = "cannot set the TLS server name";
            return result;
        }
        stream.set_verify_callback(ssl::host_name_verification(parsed->host));
        beast::get_lowest_layer(stream).connect(endpoints);
        const auto tv_ms = static_cast<int>(timeout.count());
        timeval tv{tv_ms / 1000, (tv_ms % 1000) * 1000};
        const auto fd = beast::get_lowest_layer(stream).socket().native_handle();
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
        stream.handshake(ssl::stream_base::client);
        return exchange(stream, tunnel_common::authority_of(*parsed), parsed->path);
    } catch (const std::exception& e) {
        result.error = e.what();
        return result;
    }
}

}  // namespace mcpproxy::tunnel_cloudflared
