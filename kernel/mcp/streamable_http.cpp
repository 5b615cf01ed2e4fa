#include "kernel/mcp/streamable_http.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/this_coro.hpp>

#include "kernel/log/logging.hpp"
#include "kernel/mcp/response_stream.hpp"
#include "kernel/mcp/sse_format.hpp"
#include "kernel/net/responses.hpp"
#include "kernel/protocol/jsonrpc.hpp"
#include "kernel/protocol/protocol_versions.hpp"

namespace mcpproxy::mcp {
namespace asio = boost::asio;
namespace http = net::http;
namespace ec = protocol::error_code;
using protocol::make_error;

namespace {

constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);
constexpr std::string_view kSessionHeader = "Mcp-Session-Id";
constexpr std::string_view kVersionHeader = "MCP-Protocol-Version";

std::string_view header(const net::Request& req, std::string_view name) {
    const auto it = req.base().find(name);
    if (it == req.base().end()) return {};
    return std::string_view(it->value().data(), it->value().size());
}

bool contains_ci(std::string_view haystack, std::string_view needle) {
    if (needle.size() > haystack.size()) return false;
    for (std::size_t i = 0; i + needle.size() <= haystack.size(); ++i) {
        if (net::beast::iequals(haystack.substr(i, needle.size()), needle)) return true;
    }
    return false;
}

bool accepts_sse(const net::Request& req) {
    const auto accept = header(req, "Accept");
    return contains_ci(accept, "text/event-stream") || contains_ci(accept, "*/*");
}

bool accepts_json(const net::Request& req) {
    const auto accept = header(req, "Accept");
    return accept.empty() || contains_ci(accept, "application/json") ||
           contains_ci(accept, "application/*") || contains_ci(accept, "*/*");
}

net::Awaitable<bool> begin_sse(net::HttpExchange& ex) {
    net::StreamHeader head{http::status::ok, ex.request().version()};
    head.set(http::field::content_type, "text/event-stream");
    head.set(http::field::cache_control, "no-cache");
    co_return co_await ex.begin_stream(std::move(head));
}

// The stateless revision is POST only.
net::Awaitable<void> reply_post_only(net::HttpExchange& ex) {
    auto res = net::empty_response(http::status::method_not_allowed, ex.request());
    res.set(http::field::allow, "POST");
    co_await ex.respond(std::move(res));
}

// Why an MCP-Protocol-Version header must be refused with 400, or "" when it may pass. An absent
// header passes (the spec then assumes 2025-03-26). A supported version other than the session's
// passes too, as with the reference SDK server: the MCP conformance suite sends 2025-03-26 on
// sessions it negotiated at 2025-11-25, and the session keeps the version it negotiated.
std::string version_problem(std::string_view version) {
    if (version.empty()) return {};
    if (!protocol::is_supported_version(version)) {
        return "Unsupported protocol version: " + std::string(version);
    }
    return {};
}

net::Awaitable<void> reply_error(net::HttpExchange& ex, http::status status, const Json& id,
                                 int code, std::string_view message) {
    co_await ex.respond(net::json_response(status, ex.request(), make_error(id, code, message)));
}

bool same_identity(const sdk::Identity& a, const sdk::Identity& b) {
    return a.name == b.name && a.kind == b.kind;
}

// The stateless revision puts the method (and the tool/prompt/resource name) in headers so that
// gateways can route without reading the body; they must agree with the body.
bool stateless_headers_match(const net::Request& req, const Json& message) {
    const std::string method = protocol::method_of(message);
    if (header(req, "Mcp-Method") != method) return false;
    const Json params = message.value("params", Json::object());
    std::string name;
    if (method == "tools/call" || method == "prompts/get")
        name = params.value("name", std::string());
    else if (method == "resources/read")
        name = params.value("uri", std::string());
    else
        return true;
    return header(req, "Mcp-Name") == name;
}

}  // namespace

StreamableHttpEndpoint::StreamableHttpEndpoint(std::shared_ptr<Dispatcher> dispatcher,
                                               std::shared_ptr<SessionStore> sessions,
                                               std::shared_ptr<OriginGuard> guard,
                                               std::shared_ptr<const auth::AuthChain> auth,
                                               FrontEndOptions options, RecordSink records)
    : dispatcher_(std::move(dispatcher)),
      sessions_(std::move(sessions)),
      guard_(std::move(guard)),
      auth_(std::move(auth)),
      options_(options),
      records_(std::move(records)),
      log_(log::get("mcp")) {}

net::Handler StreamableHttpEndpoint::handler() {
    return [self = shared_from_this()](net::HttpExchange& ex) { return self->serve(ex); };
}

net::Awaitable<void> StreamableHttpEndpoint::serve(net::HttpExchange& ex) {
    const auto& req = ex.request();
    if (!guard_->host_allowed(header(req, "Host"))) {
        co_await reply_error(ex, http::status::forbidden, nullptr, ec::invalid_request,
                             "Forbidden: Host not allowed");
        co_return;
    }
    if (!guard_->origin_allowed(header(req, "Origin"))) {
        co_await reply_error(ex, http::status::forbidden, nullptr, ec::invalid_request,
                             "Forbidden: Origin not allowed");
        co_return;
    }
    const auto verb = req.method();
    if (verb != http::verb::post && verb != http::verb::get && verb != http::verb::delete_) {
        auto res = net::empty_response(http::status::method_not_allowed, req);
        res.set(http::field::allow, "GET, POST, DELETE");
        co_await ex.respond(std::move(res));
        co_return;
    }
    const auto peer = client_address(ex);
    if (options_.auth_failures && !options_.auth_failures->would_admit(peer)) {
        // Too many failed logins from this address: refuse before looking at any credential.
        auto res = net::json_response(
            http::status::too_many_requests, req,
            Json{{"error", "too_many_requests"}, {"request_id", ex.request_id()}});
        res.set(http::field::retry_after, "60");
        co_await ex.respond(std::move(res));
        co_return;
    }
    const net::ExchangeRequestView view(ex);
    auto decision = auth_->authenticate(view);
    if (decision.outcome != auth::AuthDecision::Outcome::authenticated) {
        // A valid credential that grants nothing here is no guessing attempt: only a 401 counts.
        const bool forbidden = decision.outcome == auth::AuthDecision::Outcome::forbidden;
        if (options_.auth_failures && !forbidden) options_.auth_failures->take(peer);
        const auto status = forbidden ? http::status::forbidden : http::status::unauthorized;
        const std::string code = forbidden ? "forbidden" : "unauthorized";
        auto res =
            net::json_response(status, req, Json{{"error", code}, {"request_id", ex.request_id()}});
        if (!decision.challenge.empty()) res.set(http::field::www_authenticate, decision.challenge);
        const auto started = std::chrono::steady_clock::now();
        co_await ex.respond(std::move(res));
        RequestContext ctx;
        ctx.denied = true;
        ctx.deny_reason = decision.reason;
        sdk::Identity who = forbidden ? decision.identity : sdk::Identity{};
        if (who.name.empty()) who.name = "-";
        record(ex, who, Json::object(), &ctx, forbidden ? 403 : 401, nullptr, started);
        co_return;
    }
    auto caller = std::make_shared<const sdk::Identity>(std::move(decision.identity));
    if (verb == http::verb::post) {
        co_await post(ex, std::move(caller));
        co_return;
    }
    if (verb == http::verb::get)
        co_await get(ex, *caller);
    else
        co_await remove(ex, *caller);
}

net::Awaitable<void> StreamableHttpEndpoint::post(net::HttpExchange& ex,
                                                  std::shared_ptr<const sdk::Identity> caller) {
    const sdk::Identity& identity = *caller;
    const auto& req = ex.request();
    const auto content_type = header(req, "Content-Type");
    if (!contains_ci(content_type, "application/json")) {
        co_await reply_error(ex, http::status::unsupported_media_type, nullptr, ec::invalid_request,
                             "Content-Type must be application/json");
        co_return;
    }
    const auto accept = header(req, "Accept");
    if (!accept.empty() && !contains_ci(accept, "application/json") &&
        !contains_ci(accept, "text/event-stream") && !contains_ci(accept, "*/*")) {
        co_await reply_error(ex, http::status::not_acceptable, nullptr, ec::invalid_request,
                             "Accept must allow application/json or text/event-stream");
        co_return;
    }
    const std::string version(header(req, kVersionHeader));
    if (!version.empty() && !protocol::is_supported_version(version)) {
        co_await reply_error(ex, http::status::bad_request, nullptr, ec::invalid_request,
                             "Unsupported protocol version: " + version);
        co_return;
    }
    protocol::ParseFailure failure;
    auto body = protocol::parse_json(req.body(), failure);
    if (!body) {
        co_await reply_error(ex, http::status::bad_request, nullptr, ec::parse_error,
                             "Parse error: " + failure.reason);
        co_return;
    }
    const bool stateless = version == protocol::kStatelessVersion;
    if (stateless) {
        if (!body->is_object() || protocol::classify(*body) == protocol::MessageKind::invalid) {
            co_await reply_error(ex, http::status::bad_request, nullptr, ec::invalid_request,
                                 "Invalid Request");
            co_return;
        }
        const auto kind = protocol::classify(*body);
        if (kind != protocol::MessageKind::request) {
            co_await ex.respond(net::empty_response(http::status::accepted, req));
            co_return;
        }
        if (!stateless_headers_match(req, *body)) {
            co_await reply_error(ex, http::status::bad_request, (*body)["id"], ec::header_mismatch,
                                 "Mcp-Method / Mcp-Name headers do not match the request body");
            co_return;
        }
        if (protocol::method_of(*body) == "initialize") {
            co_await ex.respond(net::json_response(
                http::status::ok, req,
                protocol::make_result(
                    (*body)["id"], dispatcher_->initialize_result(protocol::kStatelessVersion))));
            co_return;
        }
        policy::AdmissionSlot slot;
        if (co_await admit(ex, *body, identity, slot)) {
            auto request = std::make_shared<const Json>(std::move(*body));
            co_await run_request(ex, std::move(request), nullptr, caller);
        }
        co_return;
    }
    const bool is_initialize = body->is_object() && protocol::method_of(*body) == "initialize" &&
                               protocol::classify(*body) == protocol::MessageKind::request;
    if (is_initialize) {
        co_await initialize(ex, *body, identity);
        co_return;
    }
    auto session = co_await session_of(ex, identity, false);
    if (!session) co_return;
    session->touch();
    if (body->is_array()) {
        if (!protocol::allows_batches(session->protocol_version()) || body->empty()) {
            co_await reply_error(ex, http::status::bad_request, nullptr, ec::invalid_request,
                                 "JSON-RPC batches are not supported in protocol version " +
                                     session->protocol_version());
            co_return;
        }
        policy::AdmissionSlot slot;
        if (co_await admit(ex, *body, identity, slot))
            co_await run_batch(ex, *body, session, caller);
        co_return;
    }
    switch (protocol::classify(*body)) {
        case protocol::MessageKind::notification:
            handle_client_notification(*body, session);
            co_await ex.respond(net::empty_response(http::status::accepted, req));
            co_return;
        case protocol::MessageKind::response:
        case protocol::MessageKind::error_response:
            session->deliver_answer(*body);
            co_await ex.respond(net::empty_response(http::status::accepted, req));
            co_return;
        case protocol::MessageKind::request: {
            policy::AdmissionSlot slot;
            if (co_await admit(ex, *body, identity, slot)) {
                auto request = std::make_shared<const Json>(std::move(*body));
                co_await run_request(ex, std::move(request), session, caller);
            }
            co_return;
        }
        case protocol::MessageKind::invalid:
            break;
    }
    Json id = nullptr;
    if (body->is_object() && body->contains("id")) id = (*body)["id"];
    co_await reply_error(ex, http::status::bad_request, id, ec::invalid_request,
                         "Invalid Request: not a JSON-RPC 2.0 message");
}

net::Awaitable<bool> StreamableHttpEndpoint::admit(net::HttpExchange& ex, const Json& request,
                                                   const sdk::Identity& identity,
                                                   policy::AdmissionSlot& slot) {
    if (!options_.identity_limits) co_return true;
    const auto admission = options_.identity_limits->admit(identity.name, identity.limits);
    if (admission.allowed) {
        slot = policy::AdmissionSlot(options_.identity_limits.get(), identity.name);
        co_return true;
    }
    // The refused message keeps its id and method, so the client can match the error and the
    // activity log says what was refused.
    Json id = nullptr;
    Json refused = Json::object();
    if (request.is_object()) {
        refused = request;
        if (request.contains("id")) id = request["id"];
    }
    const Json error =
        make_error(id, ec::rate_limited,
                   admission.concurrency ? "Too many concurrent requests for this credential"
                                         : "Rate limit exceeded for this credential");
    auto res = net::json_response(http::status::too_many_requests, ex.request(), error);
    res.set(http::field::retry_after,
            std::to_string(std::max<long>(1, static_cast<long>(admission.retry_after.count()))));
    co_await ex.respond(std::move(res));
    RequestContext ctx;
    ctx.denied = true;
    ctx.deny_reason = admission.concurrency ? "concurrency_limit" : "rate_limit";
    record(ex, identity, refused, &ctx, 429, &error, std::chrono::steady_clock::now());
    co_return false;
}

net::Awaitable<void> StreamableHttpEndpoint::initialize(net::HttpExchange& ex, const Json& request,
                                                        const sdk::Identity& identity) {
    const auto started = std::chrono::steady_clock::now();
    const Json params = request.value("params", Json::object());
    const auto requested = params.value("protocolVersion", std::string());
    if (requested.empty()) {
        co_await reply_error(ex, http::status::bad_request, request["id"], ec::invalid_params,
                             "params.protocolVersion is required");
        co_return;
    }
    const std::string version(protocol::negotiate_version(requested));
    auto session =
        sessions_->create(identity, version, params.value("capabilities", Json::object()),
                          co_await asio::this_coro::executor);
    auto res = net::json_response(
        http::status::ok, ex.request(),
        protocol::make_result(request["id"], dispatcher_->initialize_result(version)));
    res.set(kSessionHeader, session->id());
    co_await ex.respond(std::move(res));
    log_->debug("session started for {} (protocol {})", identity.name, version);
    record(ex, identity, request, nullptr, 200, nullptr, started);
}

net::Awaitable<void> StreamableHttpEndpoint::run_request(
    net::HttpExchange& ex, std::shared_ptr<const Json> shared_request,
    std::shared_ptr<Session> session, std::shared_ptr<const sdk::Identity> caller) {
    const Json& request = *shared_request;
    const sdk::Identity& identity = *caller;
    const auto started = std::chrono::steady_clock::now();
    auto executor = co_await asio::this_coro::executor;
    auto stream = std::make_shared<ResponseStream>(executor, session, accepts_sse(ex.request()),
                                                   options_.answer_timeout);
    // A client that accepts only an event stream gets its reply as one even when nothing precedes
    // it.
    const bool sse_only = accepts_sse(ex.request()) && !accepts_json(ex.request());
    auto ctx = std::make_shared<RequestContext>();
    ctx->session = session;
    ctx->identity = caller;
    ctx->observer = stream;
    ctx->cancel = std::make_shared<upstream::CancelHandle>();
    const Json id = request["id"];
    if (session) session->track(id, ctx->cancel);
    asio::co_spawn(
        executor,
        // Shares the request: the handler may outlive this frame (a client that went away).
        [dispatcher = dispatcher_, request = shared_request, ctx,
         stream]() -> asio::awaitable<void> {
            Json response;
            try {
                response = co_await dispatcher->handle(*request, *ctx);
            } catch (const std::exception& e) {
                response = make_error((*request)["id"], ec::internal_error, e.what());
            }
            stream->finish(std::move(response));
        },
        asio::detached);
    bool streaming = false;
    Json final_response;
    for (;;) {
        auto item = co_await stream->next();
        if (item.final) {
            final_response = std::move(item.message);
            if (ctx->cancel->cancelled()) {
                // MCP: a cancelled request gets no response; the client has already forgotten it.
                if (streaming)
                    co_await ex.end_stream();
                else
                    co_await ex.respond(net::empty_response(http::status::accepted, ex.request()));
                break;
            }
            // An error status (e.g. 403) goes out as JSON whatever the client accepts.
            if (!streaming && (!sse_only || ctx->http_status != 200)) {
                co_await ex.respond(net::json_response(static_cast<http::status>(ctx->http_status),
                                                       ex.request(), final_response));
                break;
            }
            if (!streaming) streaming = co_await begin_sse(ex);
            if (streaming && co_await ex.write_chunk(sse_event(final_response))) {
                co_await ex.end_stream();
            }
            break;
        }
        if (!streaming) {
            streaming = co_await begin_sse(ex);
            if (!streaming) {
                ctx->cancel->cancel("the client went away");
                break;
            }
        }
        if (!co_await ex.write_chunk(sse_event(item.message))) {
            ctx->cancel->cancel("the client went away");
            break;
        }
    }
    if (session) session->untrack(id);
    record(ex, identity, request, ctx.get(), streaming ? 200 : ctx->http_status,
           final_response.is_null() ? nullptr : &final_response, started);
}

net::Awaitable<void> StreamableHttpEndpoint::run_batch(
    net::HttpExchange& ex, const Json& batch, std::shared_ptr<Session> session,
    const std::shared_ptr<const sdk::Identity>& caller) {
    const sdk::Identity& identity = *caller;
    Json responses = Json::array();
    for (const auto& message : batch) {
        switch (protocol::classify(message)) {
            case protocol::MessageKind::notification:
                handle_client_notification(message, session);
                break;
            case protocol::MessageKind::response:
            case protocol::MessageKind::error_response:
                session->deliver_answer(message);
                break;
            case protocol::MessageKind::request: {
                const auto started = std::chrono::steady_clock::now();
                RequestContext ctx;
                ctx.session = session;
                ctx.identity = caller;
                ctx.cancel = std::make_shared<upstream::CancelHandle>();
                Json response = co_await dispatcher_->handle(message, ctx);
                record(ex, identity, message, &ctx, ctx.http_status, &response, started);
                responses.push_back(std::move(response));
                break;
            }
            case protocol::MessageKind::invalid:
                responses.push_back(make_error(nullptr, ec::invalid_request, "Invalid Request"));
                break;
        }
    }
    if (responses.empty()) {
        co_await ex.respond(net::empty_response(http::status::accepted, ex.request()));
    } else {
        co_await ex.respond(net::json_response(http::status::ok, ex.request(), responses));
    }
}

std::string StreamableHttpEndpoint::client_address(const net::HttpExchange& ex) const {
    const auto& peer = ex.connection().peer_address;
    if (!options_.client_addresses) return peer;
    return options_.client_addresses->resolve(peer, header(ex.request(), "Cf-Connecting-IP"),
                                              header(ex.request(), "X-Forwarded-For"));
}

void StreamableHttpEndpoint::handle_client_notification(const Json& message,
                                                        const std::shared_ptr<Session>& session) {
    const std::string method = protocol::method_of(message);
    if (method == "notifications/cancelled") {
        const Json params = message.value("params", Json::object());
        if (params.contains("requestId")) {
            session->cancel(params["requestId"], params.value("reason", std::string("cancelled")));
        }
    }
    // notifications/initialized and notifications/roots/list_changed need no action here.
}

net::Awaitable<void> StreamableHttpEndpoint::get(net::HttpExchange& ex,
                                                 const sdk::Identity& identity) {
    const auto& req = ex.request();
    const std::string version(header(req, kVersionHeader));
    if (version == protocol::kStatelessVersion) {
        co_await reply_post_only(ex);
        co_return;
    }
    if (const auto problem = version_problem(version); !problem.empty()) {
        co_await reply_error(ex, http::status::bad_request, nullptr, ec::invalid_request, problem);
        co_return;
    }
    if (!contains_ci(header(req, "Accept"), "text/event-stream")) {
        co_await reply_error(ex, http::status::not_acceptable, nullptr, ec::invalid_request,
                             "Accept must include text/event-stream");
        co_return;
    }
    auto session = co_await session_of(ex, identity, false);
    if (!session) co_return;
    const auto generation = session->attach_stream();
    net::StreamHeader head{http::status::ok, req.version()};
    head.set(http::field::content_type, "text/event-stream");
    head.set(http::field::cache_control, "no-cache");
    if (!co_await ex.begin_stream(std::move(head))) {
        session->detach_stream(generation);
        co_return;
    }
    using namespace asio::experimental::awaitable_operators;
    asio::steady_timer timer(co_await asio::this_coro::executor);
    while (session->stream_current(generation)) {
        timer.expires_after(options_.keepalive);
        auto woke = co_await (session->outbox().async_receive(kTuple) || timer.async_wait(kTuple));
        bool ok = true;
        if (woke.index() == 0) {
            auto [error, message] = std::get<0>(woke);
            if (error) break;  // the session ended
            ok = co_await ex.write_chunk(sse_event(message));
        } else {
            ok = co_await ex.write_chunk(kSseKeepalive);
        }
        if (!ok) break;
    }
    session->detach_stream(generation);
    co_await ex.end_stream();
}

net::Awaitable<void> StreamableHttpEndpoint::remove(net::HttpExchange& ex,
                                                    const sdk::Identity& identity) {
    const std::string version(header(ex.request(), kVersionHeader));
    if (version == protocol::kStatelessVersion) {
        co_await reply_post_only(ex);
        co_return;
    }
    if (const auto problem = version_problem(version); !problem.empty()) {
        co_await reply_error(ex, http::status::bad_request, nullptr, ec::invalid_request, problem);
        co_return;
    }
    auto session = co_await session_of(ex, identity, true);
    if (!session) co_return;
    sessions_->remove(std::string(header(ex.request(), kSessionHeader)));
    co_await ex.respond(net::empty_response(http::status::ok, ex.request()));
}

net::Awaitable<std::shared_ptr<Session>> StreamableHttpEndpoint::session_of(
    net::HttpExchange& ex, const sdk::Identity& identity, bool accept_ended) {
    const std::string session_id(header(ex.request(), kSessionHeader));
    if (session_id.empty()) {
        co_await reply_error(ex, http::status::bad_request, nullptr, ec::invalid_request,
                             "Bad Request: Mcp-Session-Id header is required");
        co_return nullptr;
    }
    auto session = sessions_->find(session_id);
    const bool usable = session && (accept_ended || !session->closed()) &&
                        same_identity(session->identity(), identity);
    if (!usable) {
        co_await reply_error(ex, http::status::not_found, nullptr, ec::upstream_unavailable,
                             "Session not found");
        co_return nullptr;
    }
    co_return session;
}

void StreamableHttpEndpoint::record(const net::HttpExchange& ex, const sdk::Identity& identity,
                                    const Json& request, const RequestContext* ctx, int status,
                                    const Json* response,
                                    std::chrono::steady_clock::time_point started) {
    if (!records_) return;
    RequestRecord r;
    r.time = std::chrono::system_clock::now();
    r.request_id = ex.request_id();
    r.identity_name = identity.name;
    r.identity_kind = identity.kind;
    r.client_address = client_address(ex);
    r.listener = ex.connection().listener_name;
    r.method = protocol::method_of(request);
    if (ctx != nullptr) {
        r.server = ctx->server;
        r.tool = ctx->tool;
        r.denied = ctx->denied;
        r.reason = ctx->deny_reason;
    }
    r.http_status = status;
    if (response != nullptr && response->contains("error")) {
        const auto& error = (*response)["error"];
        r.jsonrpc_error = error.value("code", 0);
        // The proxy's own "upstream unavailable" says why (e.g. "login needed: run ..."): keep
        // that with the record so an operator sees it next to the failed call.
        if (r.reason.empty() && r.jsonrpc_error == protocol::error_code::upstream_unavailable &&
            error.contains("message") && error["message"].is_string()) {
            r.reason = error["message"].get<std::string>().substr(0, 300);
        }
    }
    r.latency = std::chrono::duration_cast<std::chrono::microseconds>(
        std::chrono::steady_clock::now() - started);
    r.bytes_in = ex.request().body().size();
    r.bytes_out = ex.bytes_out();
    records_(std::move(r));
}

}  // namespace mcpproxy::mcp
