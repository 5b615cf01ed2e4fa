#pragma once

#include <spdlog/logger.h>

#include <memory>

#include "kernel/auth/auth_chain.hpp"
#include "kernel/mcp/dispatcher.hpp"
#include "kernel/mcp/origin_guard.hpp"
#include "kernel/mcp/request_record.hpp"
#include "kernel/mcp/session_store.hpp"
#include "kernel/net/route_table.hpp"
#include "kernel/policy/rate_limiter.hpp"
#include "kernel/tunnel/client_address.hpp"

namespace mcpproxy::mcp {

struct FrontEndOptions {
    std::chrono::milliseconds answer_timeout{60'000};      // for requests relayed to the client
    std::chrono::seconds keepalive{15};                    // SSE comment on idle GET streams
    std::shared_ptr<policy::RateLimiter> identity_limits;  // per identity name; may be null
    std::shared_ptr<policy::RateLimiter> auth_failures;    // per client address; may be null
    // Believes forwarding headers from the tunnel daemon only; null: the TCP peer is the client.
    std::shared_ptr<const tunnel::ClientAddressResolver> client_addresses;
};

// The MCP Streamable HTTP endpoint (/mcp) of one listener: validates Host and Origin,
// authenticates, manages sessions and protocol versions (2025-03-26 .. 2025-11-25 with sessions,
// 2026-07-28 stateless), and turns each JSON-RPC request into a dispatch whose response goes
// back as JSON or as an SSE stream.
class StreamableHttpEndpoint : public std::enable_shared_from_this<StreamableHttpEndpoint> {
public:
    StreamableHttpEndpoint(std::shared_ptr<Dispatcher> dispatcher,
                           std::shared_ptr<SessionStore> sessions,
                           std::shared_ptr<OriginGuard> guard,
                           std::shared_ptr<const auth::AuthChain> auth, FrontEndOptions options,
                           RecordSink records);

    net::Handler handler();

private:
    net::Awaitable<void> serve(net::HttpExchange& ex);
    net::Awaitable<void> post(net::HttpExchange& ex, std::shared_ptr<const sdk::Identity> caller);
    net::Awaitable<void> get(net::HttpExchange& ex, const sdk::Identity& identity);
    net::Awaitable<void> remove(net::HttpExchange& ex, const sdk::Identity& identity);
    net::Awaitable<void> initialize(net::HttpExchange& ex, const Json& request,
                                    const sdk::Identity& identity);
    net::Awaitable<void> run_request(net::HttpExchange& ex, std::shared_ptr<const Json> request,
                                     std::shared_ptr<Session> session,
                                     std::shared_ptr<const sdk::Identity> caller);
    net::Awaitable<void> run_batch(net::HttpExchange& ex, const Json& batch,
                                   std::shared_ptr<Session> session,
                                   const std::shared_ptr<const sdk::Identity>& caller);
    // The session the request names (Mcp-Session-Id), bound to identity; otherwise answers 400
    // (no header) or 404 (unknown, another identity's, or ended unless accept_ended) and
    // returns nullptr.
    net::Awaitable<std::shared_ptr<Session>> session_of(net::HttpExchange& ex,
                                                        const sdk::Identity& identity,
                                                        bool accept_ended);
    // Takes a rate/concurrency slot for a request, or answers 429 and returns false.
    net::Awaitable<bool> admit(net::HttpExchange& ex, const Json& request,
                               const sdk::Identity& identity, policy::AdmissionSlot& slot);
    [[nodiscard]] std::string client_address(const net::HttpExchange& ex) const;
    void handle_client_notification(const Json& message, const std::shared_ptr<Session>& session);
    void record(const net::HttpExchange& ex, const sdk::Identity& identity, const Json& request,
                const RequestContext* ctx, int status, const Json* response,
                std::chrono::steady_clock::time_point started);

    std::shared_ptr<Dispatcher> dispatcher_;
    std::shared_ptr<SessionStore> sessions_;
    std::shared_ptr<OriginGuard> guard_;
    std::shared_ptr<const auth::AuthChain> auth_;
    FrontEndOptions options_;
    RecordSink records_;
    std::shared_ptr<spdlog::logger> log_;
};

}  // namespace mcpproxy::mcp
