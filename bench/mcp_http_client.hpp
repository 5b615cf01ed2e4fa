#pragma once

// One MCP client session over one keep-alive HTTP/1.1 connection, as the load generator uses it:
// connect, initialize, send notifications/initialized, then make requests (tools/call, tools/list,
// ping) again and again.

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "mcp_load_options.hpp"

namespace bench {

class McpHttpClient {
public:
    McpHttpClient(boost::asio::any_io_executor executor, const LoadOptions& options);

    // Connects, initializes and confirms initialization. Empty on success, else the problem.
    boost::asio::awaitable<std::string> open();
    // Makes one request of this step. Empty on success (a result, and for tools/call one that
    // is not an error), else the problem; after a transport problem or a lost session the
    // connection is closed and open() must be called again.
    boost::asio::awaitable<std::string> call(const LoadStep& step);
    // Ends the session politely (DELETE) and closes the connection; problems are ignored.
    boost::asio::awaitable<void> end_session();
    [[nodiscard]] bool is_open() const { return open_; }
    [[nodiscard]] boost::asio::any_io_executor executor() { return stream_.get_executor(); }

private:
    using Response = boost::beast::http::response<boost::beast::http::string_body>;
    // Sends the body and reads the reply; empty on success, else a transport problem.
    boost::asio::awaitable<std::string> exchange(std::string body, Response& response);
    std::string request_body(std::int64_t id, std::string_view method,
                             std::string_view params_json) const;
    void close();

    const LoadOptions& options_;
    boost::beast::tcp_stream stream_;
    boost::beast::flat_buffer buffer_;
    boost::beast::http::request<boost::beast::http::string_body> request_;
    std::int64_t next_id_ = 1;
    bool open_ = false;
};

}  // namespace bench
