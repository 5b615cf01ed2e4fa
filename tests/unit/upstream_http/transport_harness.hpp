#pragma once

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "kernel/upstream/http/http_transport.hpp"

namespace mcpproxy::test {

// An HttpTransport on its own two-thread io_context, with every message and close reason it
// reports recorded, and its log captured in memory.
class TransportHarness {
public:
    // With on_strand, the transport is given a strand (as the upstream manager does) and send()
    // runs from coroutines on that same strand. With lanes, as in the server: two io_contexts of
    // one thread each (lane 0 and lane 1), the transport's strand on lane 0 and both given to it
    // as lanes; send() runs on the strand, send_on() on a lane.
    explicit TransportHarness(config::UpstreamConfig config, bool on_strand = false,
                              std::shared_ptr<upstream::CredentialSource> credentials = nullptr,
                              bool lanes = false);
    explicit TransportHarness(const std::string& url) : TransportHarness(config_for(url)) {}
    ~TransportHarness();

    static config::UpstreamConfig config_for(const std::string& url);

    upstream::HttpTransport& transport() { return *transport_; }
    boost::asio::io_context& io() { return io_; }

    // Runs a coroutine on the io_context and waits for it (rethrowing its exception).
    template <class T>
    T run(boost::asio::awaitable<T> work,
          std::chrono::milliseconds limit = std::chrono::seconds(10)) {
        auto future = boost::asio::co_spawn(io_, std::move(work), boost::asio::use_future);
        if (future.wait_for(limit) != std::future_status::ready) {
            throw std::runtime_error("the coroutine did not finish in time");
        }
        return future.get();
    }

    void open();
    void send(const nlohmann::json& message);
    // Sends from a coroutine running directly on lane 0 or 1 (lanes mode only).
    void send_on(std::size_t lane, const nlohmann::json& message);
    [[nodiscard]] std::thread::id lane_thread(std::size_t lane) const;
    // The thread on_message ran on for each recorded message (same order as messages()).
    std::vector<std::thread::id> message_threads() const;
    void close() { run(transport_->close()); }
    // initialize (id 1) and wait for its reply, then initialized(version) and the notification.
    void initialize(const std::string& version = "2025-06-18");

    // Called (on the transport's strand) for each message before it is recorded.
    void on_message(std::function<void(const upstream::IncomingMessage&)> hook);
    std::vector<upstream::IncomingMessage> messages() const;
    std::vector<std::string> closed_reasons() const;
    bool wait_for(const std::function<bool(const std::vector<upstream::IncomingMessage>&)>& pred,
                  std::chrono::milliseconds limit = std::chrono::seconds(5));
    // Waits for the response with this id; nullopt on timeout.
    std::optional<upstream::IncomingMessage> wait_response(
        int id, std::chrono::milliseconds limit = std::chrono::seconds(5));
    std::string log_text() const;

private:
    using WorkGuard = boost::asio::executor_work_guard<boost::asio::io_context::executor_type>;
    boost::asio::io_context io_;
    std::optional<boost::asio::any_io_executor> strand_;
    WorkGuard work_;
    std::unique_ptr<boost::asio::io_context> lane_io_;  // lane 1 (lane 0 is io_)
    std::optional<WorkGuard> lane_work_;
    std::vector<std::thread> threads_;
    std::shared_ptr<class CapturingSink> log_sink_;
    std::shared_ptr<upstream::HttpTransport> transport_;

    mutable std::mutex mutex_;
    std::condition_variable changed_;
    std::function<void(const upstream::IncomingMessage&)> hook_;
    std::vector<upstream::IncomingMessage> messages_;
    std::vector<std::thread::id> message_threads_;
    std::vector<std::string> closed_;
};

nlohmann::json request(int id, const std::string& method,
                       nlohmann::json params = nlohmann::json::object());

}  // namespace mcpproxy::test
