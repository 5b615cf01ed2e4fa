#include "tests/integration/mcp/event_stream.hpp"

#include <array>
#include <boost/beast/core/string.hpp>
#include <functional>

namespace mcpproxy::test {
namespace asio = boost::asio;

EventStream::EventStream(unsigned short port, const std::string& method, const Headers& headers,
                         const std::string& body)
    : socket_(io_) {
    socket_.connect(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
    std::string request =
        method + " /mcp HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port) + "\r\n";
    for (const auto& [k, v] : headers) {
        if (!v.empty()) request += k + ": " + v + "\r\n";
    }
    if (!body.empty()) request += "Content-Length: " + std::to_string(body.size()) + "\r\n";
    request += "\r\n" + body;
    asio::write(socket_, asio::buffer(request));
}

bool EventStream::read_until(const std::string& needle, std::chrono::milliseconds timeout) {
    if (received_.find(needle) != std::string::npos) return true;
    std::array<char, 4096> chunk{};
    bool found = false;
    std::function<void(boost::system::error_code, std::size_t)> on_read =
        [&](boost::system::error_code ec, std::size_t n) {
            if (ec) return;
            received_.append(chunk.data(), n);
            if (received_.find(needle) != std::string::npos) {
                found = true;
                return;
            }
            socket_.async_read_some(asio::buffer(chunk), on_read);
        };
    socket_.async_read_some(asio::buffer(chunk), on_read);
    io_.restart();
    io_.run_for(timeout);
    if (!io_.stopped()) {
        socket_.cancel();
        io_.restart();
        io_.run();
    }
    return found;
}

int EventStream::status() const {
    // "HTTP/1.1 200 OK"
    if (received_.size() < 12 || !received_.starts_with("HTTP/1.")) return 0;
    return std::stoi(received_.substr(9, 3));
}

std::string EventStream::header(const std::string& name) const {
    const auto head_end = received_.find("\r\n\r\n");
    if (head_end == std::string::npos) return {};
    std::size_t pos = received_.find("\r\n") + 2;
    while (pos < head_end) {
        const auto eol = received_.find("\r\n", pos);
        const std::string line = received_.substr(pos, eol - pos);
        const auto colon = line.find(':');
        if (colon != std::string::npos && boost::beast::iequals(line.substr(0, colon), name)) {
            auto value = line.substr(colon + 1);
            value.erase(0, value.find_first_not_of(' '));
            return value;
        }
        pos = eol + 2;
    }
    return {};
}

}  // namespace mcpproxy::test
