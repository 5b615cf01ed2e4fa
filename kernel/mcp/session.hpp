#pragma once

#include <atomic>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/experimental/concurrent_channel.hpp>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "kernel/upstream/call_context.hpp"
#include "mcpproxy/sdk/identity.hpp"

namespace mcpproxy::mcp {

using Json = nlohmann::json;
using JsonChannel =
    boost::asio::experimental::concurrent_channel<void(boost::system::error_code, Json)>;

// One MCP session of one client: what it negotiated, who it belongs to, the requests it has in
// flight (so they can be cancelled), the requests we relayed to it (sampling, elicitation) and
// are waiting on, and the outbox of its GET stream. Thread-safe.
class Session {
public:
    Session(std::string id, sdk::Identity identity, std::string protocol_version,
            Json client_capabilities, boost::asio::any_io_executor executor);

    [[nodiscard]] const std::string& id() const { return id_; }
    [[nodiscard]] const sdk::Identity& identity() const { return identity_; }
    [[nodiscard]] const std::string& protocol_version() const { return protocol_version_; }
    [[nodiscard]] bool client_supports(std::string_view capability) const;
    void touch();
    [[nodiscard]] std::chrono::steady_clock::time_point last_active() const;

    // Client requests in flight, keyed by their JSON-RPC id.
    void track(const Json& request_id, std::shared_ptr<upstream::CancelHandle> cancel);
    void untrack(const Json& request_id);
    void cancel(const Json& request_id, const std::string& reason);
    void cancel_all(const std::string& reason);

    // Requests we sent to the client: a fresh id and a channel the answer will arrive on.
    std::pair<std::string, std::shared_ptr<JsonChannel>> expect_answer();
    // Delivers the client's response; false when nobody waits for that id.
    bool deliver_answer(const Json& response);
    void forget_answer(const std::string& id);

    // Server-initiated messages for the GET stream (list_changed, resource updates).
    void post(Json message);
    [[nodiscard]] JsonChannel& outbox() { return outbox_; }
    // Only one GET stream at a time: a new one replaces the old one (which is told to stop).
    std::uint64_t attach_stream();
    [[nodiscard]] bool stream_current(std::uint64_t generation) const;
    [[nodiscard]] bool has_stream() const;
    void detach_stream(std::uint64_t generation);

    void subscribe(const std::string& uri);
    void unsubscribe(const std::string& uri);
    [[nodiscard]] bool subscribed(const std::string& uri) const;

    void close();
    [[nodiscard]] bool closed() const { return closed_.load(); }

private:
    std::string id_;
    sdk::Identity identity_;
    std::string protocol_version_;
    Json client_capabilities_;
    mutable std::mutex mutex_;
    std::chrono::steady_clock::time_point last_active_;
    std::map<std::string, std::shared_ptr<upstream::CancelHandle>> in_flight_;
    std::map<std::string, std::shared_ptr<JsonChannel>> awaiting_;
    std::uint64_t next_answer_id_ = 1;
    std::set<std::string> subscriptions_;
    JsonChannel outbox_;
    std::uint64_t stream_generation_ = 0;
    bool stream_attached_ = false;
    std::atomic<bool> closed_{false};
};

}  // namespace mcpproxy::mcp
