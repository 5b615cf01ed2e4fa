#include "kernel/plugins/local_http_client.hpp"

#include <algorithm>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/beast/core/flat_buffer.hpp>
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
    if (!url.starts_with("http://")) return std::nullopt;
    const auto rest = url.substr(7);
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
    if (result == asio::error::would_block) {
        beast::error_code ignored;
        socket.close(ignored);
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

}  // namespace

sdk::HttpClientResponse LocalHttpClient::send(const sdk::HttpClientRequest& request) {
    const auto target = parse_target(request.url);
    if (!target) {
        sdk::HttpClientResponse out;
        out.error =
            "unsupported URL (http://HOST:PORT/PATH or unix:///SOCKET:/PATH): " + request.url;
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
        asio::ip::tcp::socket socket(io);
        asio::ip::tcp::resolver resolver(io);
        const bool default_port = target->port == "80";
        const std::string host_header =
            (target->host.find(':') != std::string::npos ? "[" + target->host + "]"
                                                         : target->host) +
            (default_port ? "" : ":" + target->port);
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
