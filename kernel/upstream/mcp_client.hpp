#pragma once

#include <spdlog/logger.h>

#include <atomic>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/experimental/concurrent_channel.hpp>
#include <boost/asio/steady_timer.hpp>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "kernel/upstream/call_context.hpp"
#include "kernel/upstream/transport.hpp"

namespace mcpproxy::upstream {

// The proxy's MCP client for one upstream server, shared by every front-end session. Assigns its
// own request ids, remaps progress tokens, relays the upstream's requests to the observer of the
// call they belong to, and enforces per-call timeouts and cancellation. Thread-safe.
class McpClient : public std::enable_shared_from_this<McpClient> {
public:
    McpClient(boost::asio::any_io_executor executor, std::string server_name,
              std::shared_ptr<Transport> transport, std::shared_ptr<spdlog::logger> log);
    ~McpClient();
    McpClient(const McpClient&) = delete;
    McpClient& operator=(const McpClient&) = delete;

    // Opens the transport and runs the initialize handshake. Throws UpstreamError.
    boost::asio::awaitable<void> connect(std::chrono::milliseconds timeout);
    // Sends a request and waits for its result. Throws UpstreamError on a JSON-RPC error,
    // timeout, cancellation or loss of the upstream.
    boost::asio::awaitable<Json> call(std::string method, Json params, CallOptions options);
    boost::asio::awaitable<void> notify(std::string method, Json params);
    boost::asio::awaitable<void> close();

    // Notifications that belong to no call (list_changed, unrelated log messages, ...).
    void on_notification(std::function<void(const Json&)> handler);
    // The upstream is gone (process exit, session expired); called once.
    void on_closed(std::function<void(const std::string&)> handler);

    [[nodiscard]] bool alive() const { return alive_.load(); }
    [[nodiscard]] const std::string& name() const { return name_; }
    [[nodiscard]] Json server_capabilities() const;
    [[nodiscard]] Json server_info() const;
    [[nodiscard]] std::string protocol_version() const;
    [[nodiscard]] std::size_t in_flight() const;

private:
    struct Pending;
    using Channel =
        boost::asio::experimental::concurrent_channel<void(boost::system::error_code, Json)>;

    void handle(IncomingMessage incoming);
    void handle_response(Json message);
    void handle_notification(Json message, const std::optional<Json>& related);
    void handle_server_request(Json message, const std::optional<Json>& related);
    std::shared_ptr<Pending> observer_for(const std::optional<Json>& related);
    void fail_all(const std::string& reason);
    boost::asio::awaitable<void> answer_server_request(Json request,
                                                       std::shared_ptr<CallObserver> observer);
    boost::asio::awaitable<void> send_quietly(Json message);

    boost::asio::any_io_executor executor_;
    std::string name_;
    std::shared_ptr<Transport> transport_;
    std::shared_ptr<spdlog::logger> log_;

    mutable std::mutex mutex_;
    std::int64_t next_id_ = 1;
    std::map<std::int64_t, std::shared_ptr<Pending>> pending_;
    std::map<std::string, std::shared_ptr<Pending>> by_progress_token_;
    Json capabilities_;
    Json server_info_;
    std::string protocol_version_;
    std::function<void(const Json&)> notification_handler_;
    std::function<void(const std::string&)> closed_handler_;
    std::atomic<bool> alive_{false};
    std::atomic<bool> closed_{false};
};

}  // namespace mcpproxy::upstream
