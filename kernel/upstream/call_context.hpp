#pragma once

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>

namespace mcpproxy::upstream {

using Json = nlohmann::json;

// Receives what an upstream sends about one of our calls while it runs: notifications (progress
// with the caller's own token restored, log messages) and requests that need the end client
// (sampling, elicitation, roots). Implemented by the MCP front end for each client request.
class CallObserver {
public:
    virtual ~CallObserver() = default;
    virtual void on_notification(Json notification) = 0;
    // Returns {"result": ...} or {"error": {...}} for the upstream's request.
    virtual boost::asio::awaitable<Json> on_server_request(Json request) = 0;
};

// Lets whoever started a call cancel it later (the client sent notifications/cancelled, or went
// away). Thread-safe; the callback runs at most once.
class CancelHandle {
public:
    void cancel(const std::string& reason);
    // Registers what cancelling does; runs it at once when cancel() already happened.
    void on_cancel(std::function<void(const std::string&)> callback);
    void clear();
    [[nodiscard]] bool cancelled() const;

private:
    mutable std::mutex mutex_;
    std::function<void(const std::string&)> callback_;
    bool cancelled_ = false;
    std::string reason_;
};

struct CallOptions {
    std::chrono::milliseconds timeout{60'000};
    std::shared_ptr<CallObserver> observer;  // may be null
    std::shared_ptr<CancelHandle> cancel;    // may be null
};

}  // namespace mcpproxy::upstream
