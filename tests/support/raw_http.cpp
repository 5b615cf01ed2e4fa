#include "tests/support/raw_http.hpp"

#include <boost/beast/core.hpp>

namespace mcpproxy::test {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

HttpResponse http_request(unsigned short port, http::verb method, const std::string& target,
                          const std::map<std::string, std::string>& headers,
                          const std::string& body, std::chrono::milliseconds timeout) {
    asio::io_context io;
    beast::tcp_stream stream(io);
    stream.expires_after(timeout);
    stream.connect(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
    http::request<http::string_body> req{method, target, 11};
    req.set(http::field::host, "127.0.0.1:" + std::to_string(port));
    for (const auto& [k, v] : headers) req.set(k, v);
    req.body() = body;
    if (!body.empty() || method == http::verb::post) req.prepare_payload();
    http::write(stream, req);
    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(64 * 1024 * 1024);
    http::read(stream, buffer, parser);
    return parser.release();
}

RawConnection::RawConnection(unsigned short port) : socket_(io_) {
    socket_.connect(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
}

void RawConnection::send(const std::string& bytes) {
    asio::write(socket_, asio::buffer(bytes));
}

std::optional<HttpResponse> RawConnection::read_response(std::chrono::milliseconds timeout) {
    http::response_parser<http::string_body> parser;
    parser.body_limit(64 * 1024 * 1024);
    std::optional<HttpResponse> result;
    http::async_read(socket_, buffer_, parser, [&](beast::error_code ec, std::size_t) {
        if (!ec) result = parser.release();
    });
    io_.restart();
    io_.run_for(timeout);
    if (!io_.stopped()) {
        socket_.cancel();
        io_.restart();
        io_.run();
    }
    return result;
}

bool RawConnection::closed_by_peer(std::chrono::milliseconds timeout) {
    bool closed = false;
    char byte = 0;
    socket_.async_read_some(asio::buffer(&byte, 1), [&](beast::error_code ec, std::size_t) {
        closed = ec == asio::error::eof || ec == asio::error::connection_reset;
    });
    io_.restart();
    io_.run_for(timeout);
    if (!io_.stopped()) {
        socket_.cancel();
        io_.restart();
        io_.run();
    }
    return closed;
}

}  // namespace mcpproxy::test
