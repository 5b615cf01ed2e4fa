#pragma once

// One MCP client session over one keep-alive HTTP/1.1 connection, as the load generator uses it:
// connect, initialize, send notifications/initialized, then make requests (tools/call, tools/list,
// ping) again and again.
//
// Kept lean on purpose: the load generator shares the machine's cores with what it measures, so
// every microsecond it spends per request is taken from the target. Requests are written as one
// pre-built buffer on a plain socket; timeouts are enforced by a watchdog (expire_if_overdue)
// instead of a timer armed around every read and write.

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "mcp_load_options.hpp"

namespace bench {

class McpHttpClient {
public:
    using Clock = std::chrono::steady_clock;

    McpHttpClient(const boost::asio::any_io_executor& executor, const LoadOptions& options);

    // Connects, initializes and confirms initialization. Empty on success, else the problem.
    boost::asio::awaitable<std::string> open();
    // Makes one request of this step. Empty on success (a result, and for tools/call one that
    // is not an error), else the problem; after a transport problem or a lost session the
    // connection is closed and open() must be called again.
    boost::asio::awaitable<std::string> call(const LoadStep& step);
    // Ends the session politely (DELETE) and closes the connection; problems are ignored.
    boost::asio::awaitable<void> end_session();
    // Closes the connection when the exchange in flight has waited longer than the timeout, so
    // the waiting call fails with "timeout". Must run on executor().
    void expire_if_overdue(Clock::time_point now);
    [[nodiscard]] bool is_open() const { return open_; }
    [[nodiscard]] boost::asio::any_io_executor executor() { return socket_.get_executor(); }

private:
    using Response = boost::beast::http::response<boost::beast::http::string_body>;
    // Sends one request and reads the reply; empty on success, else a transport problem.
    boost::asio::awaitable<std::string> exchange(std::string_view verb, std::string_view body,
                                                 Response& response);
    std::string request_body(std::int64_t id, std::string_view method,
                             std::string_view params_json) const;
    // The header lines every request carries (Host, Accept, session, version, -H extras).
    void rebuild_common_headers();
    void close();

    const LoadOptions& options_;
    boost::asio::ip::tcp::socket socket_;
    boost::beast::flat_buffer buffer_;
    std::string common_headers_;
    std::string session_id_;
    std::string negotiated_version_;
    std::string request_;  // reused for every request of the session
    Clock::time_point waiting_since_{};
    bool waiting_ = false;
    bool timed_out_ = false;
    std::int64_t next_id_ = 1;
    bool open_ = false;
};

}  // namespace bench
