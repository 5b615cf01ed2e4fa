#include "kernel/plugins/local_http_client.hpp"

#include <algorithm>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/stream_traits.hpp>
#include <boost/beast/http.hpp>
#include <cctype>
#include <functional>
#include <optional>

namespace mcpproxy::plugins {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

namespace {

struct Target {
    bool unix_socket = false;
    bool tls = false;
    std::string socket_path;
    std::string host;
    std::string port = "80";
    std::string path = "/";
};

// "http://host:port/path" or "unix:///run/x.sock:/path".
std::optional<Target> parse_target(const std::string& url) {
    Target t;
    if (url.starts_with("unix://")) {
        const auto rest = url.substr(7);
        const auto colon = rest.find(":/");
        t.unix_socket = true;
        t.socket_path = rest.substr(0, colon);
        if (colon != std::string::npos) t.path = rest.substr(colon + 1);
        return t.socket_path.empty() ? std::nullopt : std::optional(t);
    }
    if (url.starts_with("https://")) {
        t.tls = true;
        t.port = "443";
    } else if (!url.starts_with("http://")) {
        return std::nullopt;
    }
    const auto rest = url.substr(t.tls ? 8 : 7);
    const auto slash = rest.find('/');
    auto authority = rest.substr(0, slash);
    if (slash != std::string::npos) t.path = rest.substr(slash);
    if (authority.starts_with("[")) {
        const auto close = authority.find(']');
        if (close == std::string::npos) return std::nullopt;
        t.host = authority.substr(1, close - 1);
        if (close + 1 < authority.size() && authority[close + 1] == ':')
            t.port = authority.substr(close + 2);
    } else {
        const auto colon = authority.rfind(':');
        t.host = authority.substr(0, colon);
        if (colon != std::string::npos) t.port = authority.substr(colon + 1);
    }
    if (t.host.empty()) return std::nullopt;
    return t;
}

template <class Socket>
sdk::HttpClientResponse exchange(
    asio::io_context& io, Socket& socket, const std::string& host,
    const sdk::HttpClientRequest& request, const std::string& path,
    const std::function<void(std::function<void(beast::error_code)>)>& connect) {
    sdk::HttpClientResponse out;
    http::request<http::string_body> req{http::string_to_verb(request.method), path, 11};
    if (req.method() == http::verb::unknown) {
        out.error = "unsupported HTTP method " + request.method;
        return out;
    }
    req.set(http::field::host, host);
    req.set(http::field::connection, "close");
    for (const auto& [name, value] : request.headers) req.set(name, value);
    req.body() = request.body;
    req.prepare_payload();

    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(16 * 1024 * 1024);
    beast::error_code result = asio::error::would_block;
    connect([&](beast::error_code ec) {
        if (ec) {
            result = ec;
            return;
        }
        http::async_write(socket, req, [&](beast::error_code wec, std::size_t) {
            if (wec) {
                result = wec;
                return;
            }
            http::async_read(socket, buffer, parser,
                             [&](beast::error_code rec, std::size_t) { result = rec; });
        });
    });
    io.run_for(request.timeout);
    // A TLS peer that closes without close_notify after a complete, length-delimited response.
    if (result == asio::ssl::error::stream_truncated && parser.is_done()) result = {};
    if (result == asio::error::would_block) {
        beast::error_code ignored;
        beast::get_lowest_layer(socket).close(ignored);
        io.run();
        out.error = "no answer within " + std::to_string(request.timeout.count()) + " ms";
        return out;
    }
    if (result) {
        out.error = result.message();
        return out;
    }
    const auto& res = parser.get();
    out.status = res.result_int();
    for (const auto& field : res) {
        std::string name(field.name_string());
        std::transform(name.begin(), name.end(), name.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        out.headers.emplace(std::move(name), std::string(field.value()));
    }
    out.body = res.body();
    return out;
}

// HTTPS: TLS 1.2+, the peer verified against the system's trust store (OpenSSL's default paths,
// so SSL_CERT_FILE / SSL_CERT_DIR apply) and the URL's host name or IP address.
sdk::HttpClientResponse send_tls(asio::io_context& io, asio::ip::tcp::resolver& resolver,
                                 const Target& target, const std::string& host_header,
                                 const sdk::HttpClientRequest& request) {
    asio::ssl::context ctx(asio::ssl::context::tls_client);
    ctx.set_default_verify_paths();
    ctx.set_verify_mode(asio::ssl::verify_peer);
    SSL_CTX_set_min_proto_version(ctx.native_handle(), TLS1_2_VERSION);
    asio::ssl::stream<asio::ip::tcp::socket> stream(io, ctx);
    beast::error_code ip_ec;
    asio::ip::make_address(target.host, ip_ec);
    if (ip_ec) {
        SSL_set_tlsext_host_name(stream.native_handle(), target.host.c_str());
        SSL_set1_host(stream.native_handle(), target.host.c_str());
    } else {
        X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(stream.native_handle()), target.host.c_str());
    }
    return exchange(io, stream, host_header, request, target.path, [&](auto done) {
        resolver.async_resolve(
            target.host, target.port, [&stream, done](beast::error_code ec, const auto& results) {
                if (ec) return done(ec);
                asio::async_connect(stream.lowest_layer(), results,
                                    [&stream, done](beast::error_code cec, const auto&) {
                                        if (cec) return done(cec);
                                        stream.async_handshake(
                                            asio::ssl::stream_base::client,
                                            [done](beast::error_code hec) { done(hec); });
                                    });
            });
    });
}

}  // namespace

sdk::HttpClientResponse LocalHttpClient::send(const sdk::HttpClientRequest& request) {
    const auto target = parse_target(request.url);
    if (!target) {
        sdk::HttpClientResponse out;
        out.error =
            "unsupported URL (http[s]://HOST:PORT/PATH or unix:///SOCKET:/PATH): " + request.url;
        return out;
    }
    asio::io_context io;
    try {
        if (target->unix_socket) {
            asio::local::stream_protocol::socket socket(io);
            return exchange(io, socket, "localhost", request, target->path, [&](auto done) {
                socket.async_connect(asio::local::stream_protocol::endpoint(target->socket_path),
                                     [done](beast::error_code ec) { done(ec); });
            });
        }
        asio::ip::tcp::resolver resolver(io);
        const bool default_port = target->port == (target->tls ? "443" : "80");
        const std::string host_header =
            (target->host.find(':') != std::string::npos ? "[" + target->host + "]"
                                                         : target->host) +
            (default_port ? "" : ":" + target->port);
        if (target->tls) return send_tls(io, resolver, *target, host_header, request);
        asio::ip::tcp::socket socket(io);
        return exchange(io, socket, host_header, request, target->path, [&](auto done) {
            resolver.async_resolve(
                target->host, target->port,
                [&socket, done](beast::error_code ec, const auto& results) {
                    if (ec) return done(ec);
                    asio::async_connect(socket, results,
                                        [done](beast::error_code cec, const auto&) { done(cec); });
                });
        });
    } catch (const std::exception& e) {
        sdk::HttpClientResponse out;
        out.error = e.what();
        return out;
    }
}

}  // namespace mcpproxy::plugins
