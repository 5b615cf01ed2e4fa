#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/experimental/concurrent_channel.hpp>
#include <chrono>
#include <memory>

#include "kernel/mcp/session.hpp"
#include "kernel/upstream/call_context.hpp"

namespace mcpproxy::mcp {

// What travels to the client for one POST: zero or more messages before the response
// (progress, log messages, requests relayed from upstreams), then the response itself. The HTTP
// handler answers with plain JSON when the response comes first, and switches to SSE as soon as
// anything else must be sent before it.
class ResponseStream final : public upstream::CallObserver,
                             public std::enable_shared_from_this<ResponseStream> {
public:
    struct Item {
        bool final = false;
        Json message;
    };

    ResponseStream(boost::asio::any_io_executor executor, std::shared_ptr<Session> session,
                   bool can_stream, std::chrono::milliseconds answer_timeout);

    void on_notification(Json notification) override;
    boost::asio::awaitable<Json> on_server_request(Json request) override;

    void finish(Json response);
    boost::asio::awaitable<Item> next();
    [[nodiscard]] bool can_stream() const { return can_stream_; }

private:
    using Channel =
        boost::asio::experimental::concurrent_channel<void(boost::system::error_code, Item)>;
    std::shared_ptr<Session> session_;
    bool can_stream_;
    std::chrono::milliseconds answer_timeout_;
    Channel items_;
};

}  // namespace mcpproxy::mcp
