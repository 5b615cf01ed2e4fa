#pragma once

#include <spdlog/logger.h>

#include <atomic>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "kernel/config/config.hpp"
#include "kernel/upstream/credential_source.hpp"
#include "kernel/upstream/http/http_connection_pool.hpp"
#include "kernel/upstream/http/http_event_stream.hpp"
#include "kernel/upstream/http/http_request_head.hpp"
#include "kernel/upstream/http/http_status_error.hpp"
#include "kernel/upstream/http/http_url.hpp"
#include "kernel/upstream/transport.hpp"

namespace mcpproxy::upstream {

// The MCP Streamable HTTP transport (client side) for one upstream server: every message is a
// POST whose reply is empty (202), JSON, or an event stream read as it arrives; the session id
// from initialize and the negotiated protocol version go on later requests; a broken event
// stream is resumed with GET + Last-Event-ID; a background GET stream carries the server's own
// messages. Connections are kept alive and reused.
//
// The session's own traffic (the GET stream, resumption, DELETE) runs on one strand: the
// constructor's executor when it is a strand already, else a strand made from it. send() may be
// called from any thread (and may be cancelled through its cancellation slot): on that strand it
// runs in place; on one of the lanes (io_contexts run by a single thread each, as the I/O pool's)
// it runs right there on that thread's own connections, so a call needs no thread hop; anywhere
// else it hops to the strand and back. Messages of one stream arrive in order, on the thread that
// reads that stream; different streams may deliver concurrently.
class HttpTransport final : public Transport, public std::enable_shared_from_this<HttpTransport> {
public:
    // credentials (may be null) is asked for headers on every request and for a verdict on a
    // 401, unless the configuration sets an Authorization header itself: then the user chose
    // that credential and it is sent as configured.
    // lanes: executors of io_contexts that are each run by exactly one thread; empty: none.
    HttpTransport(boost::asio::any_io_executor executor, const config::UpstreamConfig& config,
                  std::shared_ptr<spdlog::logger> log,
                  std::shared_ptr<CredentialSource> credentials = nullptr,
                  std::vector<boost::asio::any_io_executor> lanes = {});
    ~HttpTransport() override;

    boost::asio::awaitable<void> open(TransportHandlers handlers) override;
    boost::asio::awaitable<void> send(Json message) override;
    void initialized(const std::string& protocol_version) override;
    boost::asio::awaitable<void> close() override;
    [[nodiscard]] std::string describe() const override;
    [[nodiscard]] bool relates_messages() const override { return true; }
    [[nodiscard]] bool sends_from_caller() const override { return !lane_executors_.empty(); }
    [[nodiscard]] std::optional<std::string> login_needed() const override;
    [[nodiscard]] std::size_t credentials_fingerprint() const override;

    // The WWW-Authenticate value of the last 401/403 answer (for an OAuth client to act on).
    [[nodiscard]] std::optional<std::string> www_authenticate() const;
    // The Mcp-Session-Id the upstream assigned at initialize, "" when none.
    [[nodiscard]] std::string session_id() const;

private:
    using Clock = std::chrono::steady_clock;
    struct Outgoing {
        std::string body;
        std::optional<Json> request_id;
        bool is_initialize = false;
    };

    // Connections confined to one single-threaded io_context.
    struct Lane {
        Lane(boost::asio::any_io_executor executor, std::shared_ptr<boost::asio::ssl::context> tls,
             bool verify_peer);
        boost::asio::execution_context* context;
        boost::asio::any_io_executor executor;
        http::HttpConnectionPool pool;
    };

    // The lane whose thread runs `executor`, or null.
    [[nodiscard]] Lane* lane_for(const boost::asio::any_io_executor& executor) const;
    // Runs on the strand or on a lane (then pool is that lane's).
    boost::asio::awaitable<void> post(Outgoing out, http::HttpConnectionPool& pool);
    boost::asio::awaitable<void> consume_reply(http::ConnectionLease lease,
                                               std::optional<Json> request_id);
    boost::asio::awaitable<void> fail_with_status(http::ConnectionLease lease, unsigned status,
                                                  bool sent_session);
    // Sends a request on a pooled or new connection and reads the response head. A request the
    // server cannot have seen (the write failed on a reused connection), or a replayable one
    // (GET, DELETE), is retried once on a fresh connection when a reused one turns out dead.
    boost::asio::awaitable<http::ConnectionLease> exchange(
        http::HttpConnectionPool& pool, const std::string& head, std::string_view body,
        bool replayable, std::optional<Clock::time_point> deadline = std::nullopt,
        bool even_when_closing = false);
    boost::asio::awaitable<bool> pump(http::ConnectionLease& lease, http::StreamState& state,
                                      bool stop_at_response);
    boost::asio::awaitable<void> read_request_stream(http::ConnectionLease lease,
                                                     std::shared_ptr<http::StreamState> state);
    boost::asio::awaitable<void> resume(std::shared_ptr<http::StreamState> state);
    boost::asio::awaitable<void> run_get_stream();
    boost::asio::awaitable<bool> sleep_unless_closing(Clock::duration delay);
    // Reads up to limit bytes of a small body (within 2 s), then hands the connection back if
    // the body ended, else closes it.
    boost::asio::awaitable<std::string> read_small_body(http::ConnectionLease lease,
                                                        std::size_t limit);
    boost::asio::awaitable<void> close_on_strand();
    // The credential header lines for the next request ("" when no plugin has any).
    std::string credential_lines();
    // Records the challenge of a 401 and asks the credential source what to do.
    sdk::UnauthorizedAnswer answer_401(http::ConnectionLease& lease);
    // Marks this upstream "login needed"; when a session was established, also reports the
    // transport closed (after the current call has failed) so the manager reconnects slowly.
    http::HttpStatusError note_login_needed(const std::string& detail, bool report_closed);

    void remember_session(std::string_view header_value);
    void session_lost();
    void maybe_start_get_stream();
    // Call with mutex_ held.
    [[nodiscard]] http::SessionHeaders session_headers(std::string_view last_event_id) const;
    [[nodiscard]] std::string redact(std::string text) const;
    [[nodiscard]] std::runtime_error closed_error() const;

    boost::asio::any_io_executor strand_;
    config::UpstreamConfig config_;
    std::shared_ptr<spdlog::logger> log_;
    std::optional<http::UpstreamUrl> url_;
    std::string url_error_;  // why the URL is unusable (reported by open())
    std::string description_;
    std::vector<std::string> secrets_;  // configured header values, longest first, for redaction
    std::shared_ptr<CredentialSource> credentials_;
    bool ask_credentials_ = false;  // set by open()
    std::vector<boost::asio::any_io_executor> lane_executors_;

    // Set once by open(), read-only afterwards (each lane's pool is used on its thread only).
    TransportHandlers handlers_;
    std::shared_ptr<boost::asio::ssl::context> tls_;
    std::optional<http::RequestHeadBuilder> heads_;
    std::vector<std::shared_ptr<Lane>> lanes_;

    // Strand-only.
    std::optional<http::HttpConnectionPool> pool_;
    std::unordered_set<boost::asio::steady_timer*> timers_;

    // Shared with other threads.
    mutable std::mutex mutex_;
    std::string session_id_;
    std::string protocol_version_;
    std::optional<std::string> www_authenticate_;
    std::optional<std::string> login_needed_;
    std::vector<std::string> credential_secrets_;  // of the last credential headers, for redaction
    std::atomic<bool> opened_{false};
    std::atomic<bool> closing_{false};
    std::atomic<bool> closed_reported_{false};
    std::atomic<bool> get_stream_wanted_{false};
    std::atomic<bool> session_expired_{false};
};

}  // namespace mcpproxy::upstream
