#pragma once

#include <boost/asio.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <map>
#include <optional>
#include <string>

namespace mcpproxy::test {

using HttpResponse = boost::beast::http::response<boost::beast::http::string_body>;

// One request on a fresh connection with Beast; throws on connection failure.
HttpResponse http_request(unsigned short port, boost::beast::http::verb method,
                          const std::string& target,
                          const std::map<std::string, std::string>& headers = {},
                          const std::string& body = {},
                          std::chrono::milliseconds timeout = std::chrono::seconds(10));

// A TCP connection for hand-made requests (slow clients, malformed bytes, pipelining).
class RawConnection {
public:
    explicit RawConnection(unsigned short port);
    void send(const std::string& bytes);
    // Reads one HTTP response; nullopt when the connection closed or timed out first.
    std::optional<HttpResponse> read_response(
        std::chrono::milliseconds timeout = std::chrono::seconds(10));
    // True when the server closed the connection within the timeout.
    bool closed_by_peer(std::chrono::milliseconds timeout = std::chrono::seconds(10));

private:
    boost::asio::io_context io_;
    boost::asio::ip::tcp::socket socket_;
    boost::beast::flat_buffer buffer_;
};

}  // namespace mcpproxy::test
