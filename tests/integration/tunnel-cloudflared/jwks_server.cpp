#include "tests/integration/tunnel-cloudflared/jwks_server.hpp"

namespace mcpproxy::test {
namespace asio = boost::asio;
using tcp = asio::ip::tcp;

JwksServer::JwksServer() : acceptor_(io_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)) {
    port_ = acceptor_.local_endpoint().port();
    thread_ = std::thread([this] { serve(); });
}

JwksServer::~JwksServer() {
    stopping_ = true;
    boost::system::error_code ec;
    tcp::socket wake(io_);
    wake.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port_), ec);
    thread_.join();
}

void JwksServer::set_body(std::string body) {
    std::lock_guard lock(mutex_);
    body_ = std::move(body);
}

std::string JwksServer::url() const {
    return "http://127.0.0.1:" + std::to_string(port_) + "/cdn-cgi/access/certs";
}

void JwksServer::serve() {
    while (!stopping_) {
        boost::system::error_code ec;
        tcp::socket socket(io_);
        acceptor_.accept(socket, ec);
        if (ec || stopping_) continue;
        asio::streambuf request;
        asio::read_until(socket, request, "\r\n\r\n", ec);
        if (ec) continue;
        ++fetches_;
        std::string body;
        {
            std::lock_guard lock(mutex_);
            body = body_;
        }
        const std::string response =
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " +
            std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
        asio::write(socket, asio::buffer(response), ec);
        socket.shutdown(tcp::socket::shutdown_both, ec);
    }
}

}  // namespace mcpproxy::test
