#pragma once

#include <boost/asio.hpp>
#include <chrono>
#include <string>

#include "tests/integration/mcp/mcp_http.hpp"

namespace mcpproxy::test {

// A long-lived GET /mcp (or any request) whose response is read incrementally, for SSE streams
// that never end on their own.
class EventStream {
public:
    // Sends method /mcp with headers (and a Content-Length when body is not empty).
    EventStream(unsigned short port, const std::string& method, const Headers& headers,
                const std::string& body = {});

    // Reads until the bytes received so far contain needle or the timeout passes; returns
    // whether they do.
    bool read_until(const std::string& needle, std::chrono::milliseconds timeout);
    // Everything received so far: status line, headers and (chunked) body bytes.
    [[nodiscard]] const std::string& received() const { return received_; }
    // The HTTP status, once the status line arrived; 0 before.
    [[nodiscard]] int status() const;
    // The value of a response header (case-insensitive name), once the head arrived.
    [[nodiscard]] std::string header(const std::string& name) const;

private:
    boost::asio::io_context io_;
    boost::asio::ip::tcp::socket socket_;
    std::string received_;
};

}  // namespace mcpproxy::test
