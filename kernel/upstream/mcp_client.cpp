#include "kernel/upstream/mcp_client.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "kernel/protocol/jsonrpc.hpp"
#include "kernel/protocol/protocol_versions.hpp"
#include "kernel/upstream/upstream_error.hpp"

namespace mcpproxy::upstream {
namespace asio = boost::asio;
namespace ec = protocol::error_code;

struct McpClient::Pending {
    explicit Pending(const asio::any_io_executor& executor) : done(executor, 1), timer(executor) {}
    Channel done;
    asio::steady_timer timer;
    std::shared_ptr<CallObserver> observer;
    std::string progress_token;  // ours, sent upstream
    Json client_progress_token;  // the caller's, restored on the way back
};

namespace {

constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

// Encodes why a call ended without a response, carried through the channel's error code.
enum class Outcome { timeout = 1, cancelled, lost };

boost::system::error_code outcome_code(Outcome o) {
    return {static_cast<int>(o), boost::system::generic_category()};
}

std::string progress_key(const Json& token) {
    return token.dump();
}

Json initialize_params() {
    Json capabilities = Json::object();
    capabilities["sampling"] = Json::object();
    capabilities["elicitation"] = Json::object();
    capabilities["roots"] = Json{{"listChanged", true}};
    Json params = Json::object();
    params["protocolVersion"] = std::string(protocol::kLatestSessionVersion);
    params["capabilities"] = std::move(capabilities);
    params["clientInfo"] = Json{{"name", "mcpproxy"}, {"version", "0.1.0"}};
    return params;
}

}  // namespace

McpClient::McpClient(asio::any_io_executor executor, std::string server_name,
                     std::shared_ptr<Transport> transport, std::shared_ptr<spdlog::logger> log)
    : executor_(std::move(executor)),
      name_(std::move(server_name)),
      transport_(std::move(transport)),
      log_(std::move(log)) {}

McpClient::~McpClient() = default;

void McpClient::on_notification(std::function<void(const Json&)> handler) {
    std::lock_guard lock(mutex_);
    notification_handler_ = std::move(handler);
}

void McpClient::on_closed(std::function<void(const std::string&)> handler) {
    std::lock_guard lock(mutex_);
    closed_handler_ = std::move(handler);
}

Json McpClient::server_capabilities() const {
    std::lock_guard lock(mutex_);
    return capabilities_;
}

Json McpClient::server_info() const {
    std::lock_guard lock(mutex_);
    return server_info_;
}

std::string McpClient::protocol_version() const {
    std::lock_guard lock(mutex_);
    return protocol_version_;
}

std::size_t McpClient::in_flight() const {
    std::lock_guard lock(mutex_);
    return pending_.size();
}

asio::awaitable<void> McpClient::connect(std::chrono::milliseconds timeout) {
    std::weak_ptr<McpClient> weak = weak_from_this();
    TransportHandlers handlers;
    handlers.on_message = [weak](IncomingMessage m) {
        if (auto self = weak.lock()) self->handle(std::move(m));
    };
    handlers.on_closed = [weak](std::string reason) {
        if (auto self = weak.lock()) self->fail_all(reason);
    };
    try {
        co_await transport_->open(std::move(handlers));
    } catch (const std::exception& e) {
        throw UpstreamError(ec::upstream_unavailable, std::string("cannot start: ") + e.what());
    }
    alive_ = true;
    Json params = initialize_params();
    CallOptions options;
    options.timeout = timeout;
    const Json result = co_await call("initialize", std::move(params), options);
    {
        std::lock_guard lock(mutex_);
        capabilities_ = result.value("capabilities", Json::object());
        server_info_ = result.value("serverInfo", Json::object());
        protocol_version_ = result.value("protocolVersion", std::string());
    }
    transport_->initialized(protocol_version());
    co_await notify("notifications/initialized", nullptr);
}

asio::awaitable<Json> McpClient::call(std::string method, Json params, CallOptions options) {
    if (!alive_)
        throw UpstreamError(ec::upstream_unavailable, "upstream " + name_ + " is not connected");
    // The wait and its timer live on the caller's thread. The send below goes to the upstream's
    // executor (one writer per upstream: a stdio child's outbox), unless the transport sends best
    // from the caller's thread (HTTP with per-thread connections).
    const auto caller_executor = co_await asio::this_coro::executor;
    auto pending = std::make_shared<Pending>(caller_executor);
    pending->observer = options.observer;
    std::int64_t id = 0;
    {
        std::lock_guard lock(mutex_);
        id = next_id_++;
        if (params.is_object()) {
            const auto meta = params.find("_meta");
            if (meta != params.end() && meta->is_object() && meta->contains("progressToken")) {
                pending->client_progress_token = (*meta)["progressToken"];
                pending->progress_token = "mcpproxy-" + std::to_string(id);
                (*meta)["progressToken"] = pending->progress_token;
                by_progress_token_[progress_key(Json(pending->progress_token))] = pending;
            }
        }
        pending_[id] = pending;
    }
    auto forget = [this, id, pending] {
        std::lock_guard lock(mutex_);
        pending_.erase(id);
        if (!pending->progress_token.empty()) {
            by_progress_token_.erase(progress_key(Json(pending->progress_token)));
        }
    };
    pending->timer.expires_after(options.timeout);
    pending->timer.async_wait([pending](const boost::system::error_code& e) {
        if (!e) pending->done.try_send(outcome_code(Outcome::timeout), Json());
    });
    if (options.cancel) {
        options.cancel->on_cancel([pending](const std::string&) {
            pending->done.try_send(outcome_code(Outcome::cancelled), Json());
        });
    }
    // The send runs on its own: for an HTTP upstream that answers with plain JSON it lasts as long
    // as the call, and the timeout and cancellation above must still be able to end the wait.
    asio::co_spawn(
        transport_->sends_from_caller() ? caller_executor : executor_,
        [transport = transport_,
         message = protocol::make_request(id, method, std::move(params))]() mutable
        -> asio::awaitable<void> { co_await transport->send(std::move(message)); },
        [pending, name = name_](const std::exception_ptr& failure) {
            if (!failure) return;
            std::string why = "upstream " + name + " could not be reached";
            try {
                std::rethrow_exception(failure);
            } catch (const std::exception& e) {
                why = "upstream " + name + ": " + e.what();
            } catch (...) {
            }
            pending->done.try_send(outcome_code(Outcome::lost), Json(why));
        });
    auto [error, response] = co_await pending->done.async_receive(kTuple);
    pending->timer.cancel();
    if (options.cancel) options.cancel->clear();
    forget();
    if (error) {
        const auto outcome = static_cast<Outcome>(error.value());
        if (outcome == Outcome::timeout || outcome == Outcome::cancelled) {
            const bool timed_out = outcome == Outcome::timeout;
            Json cancel_params = Json::object();
            cancel_params["requestId"] = id;
            cancel_params["reason"] =
                std::string(timed_out ? "timeout" : "cancelled by the client");
            co_await send_quietly(
                protocol::make_notification("notifications/cancelled", std::move(cancel_params)));
            if (timed_out) {
                throw UpstreamError(ec::request_timeout,
                                    "upstream " + name_ + " did not answer " + method + " within " +
                                        std::to_string(options.timeout.count()) + " ms");
            }
            throw UpstreamError(ec::request_cancelled, "request cancelled");
        }
        throw UpstreamError(ec::upstream_unavailable, response.is_string()
                                                          ? response.get<std::string>()
                                                          : "upstream " + name_ + " went away");
    }
    if (const auto err = response.find("error"); err != response.end()) {
        throw UpstreamError(err->value("code", ec::internal_error),
                            err->value("message", std::string("upstream error")),
                            err->contains("data") ? (*err)["data"] : Json());
    }
    const auto result = response.find("result");
    if (result == response.end()) co_return Json::object();
    co_return std::move(*result);
}

asio::awaitable<void> McpClient::notify(std::string method, Json params) {
    co_await transport_->send(protocol::make_notification(method, std::move(params)));
}

asio::awaitable<void> McpClient::send_quietly(Json message) {
    try {
        co_await transport_->send(std::move(message));
    } catch (const std::exception& e) {
        log_->debug("could not send to upstream: {}", e.what());
    }
}

asio::awaitable<void> McpClient::close() {
    if (closed_.exchange(true)) co_return;
    alive_ = false;
    co_await transport_->close();
    fail_all("upstream " + name_ + " was stopped");
}

void McpClient::handle(IncomingMessage incoming) {
    switch (protocol::classify(incoming.message)) {
        case protocol::MessageKind::response:
        case protocol::MessageKind::error_response:
            handle_response(std::move(incoming.message));
            break;
        case protocol::MessageKind::notification:
            handle_notification(std::move(incoming.message), incoming.related_request_id);
            break;
        case protocol::MessageKind::request:
            handle_server_request(std::move(incoming.message), incoming.related_request_id);
            break;
        case protocol::MessageKind::invalid:
            log_->warn("ignored a message that is not valid JSON-RPC");
            break;
    }
}

void McpClient::handle_response(Json message) {
    const auto id_it = message.find("id");
    if (id_it == message.end() || !id_it->is_number_integer()) return;
    std::shared_ptr<Pending> pending;
    {
        std::lock_guard lock(mutex_);
        const auto it = pending_.find(id_it->get<std::int64_t>());
        if (it == pending_.end()) return;  // late reply to a call that timed out or was cancelled
        pending = it->second;
    }
    pending->done.try_send(boost::system::error_code{}, std::move(message));
}

std::shared_ptr<McpClient::Pending> McpClient::observer_for(const std::optional<Json>& related) {
    std::lock_guard lock(mutex_);
    if (related && related->is_number_integer()) {
        const auto it = pending_.find(related->get<std::int64_t>());
        if (it != pending_.end() && it->second->observer) return it->second;
    }
    // stdio cannot say which call a request belongs to: take the newest call that can relay it.
    for (auto it = pending_.rbegin(); it != pending_.rend(); ++it) {
        if (it->second->observer) return it->second;
    }
    return nullptr;
}

void McpClient::handle_notification(Json message, const std::optional<Json>& related) {
    const std::string method = protocol::method_of(message);
    if (method == "notifications/progress") {
        auto& params = message["params"];
        std::shared_ptr<Pending> pending;
        {
            std::lock_guard lock(mutex_);
            const auto it =
                by_progress_token_.find(progress_key(params.value("progressToken", Json())));
            if (it != by_progress_token_.end()) pending = it->second;
        }
        if (pending && pending->observer) {
            params["progressToken"] = pending->client_progress_token;
            pending->observer->on_notification(std::move(message));
        }
        return;
    }
    // A log message belongs to the call it arrived with. stdio cannot say which call that is, so
    // it goes to the newest call that can relay it (as server requests do); over HTTP a message
    // without a related call is a session-wide one.
    const bool call_scoped = method == "notifications/message";
    if (call_scoped && (related || !transport_->relates_messages())) {
        if (auto pending = observer_for(related)) {
            pending->observer->on_notification(std::move(message));
            return;
        }
    }
    std::function<void(const Json&)> handler;
    {
        std::lock_guard lock(mutex_);
        handler = notification_handler_;
    }
    if (handler) handler(message);
}

void McpClient::handle_server_request(Json message, const std::optional<Json>& related) {
    const std::string method = protocol::method_of(message);
    const Json id = message["id"];
    if (method == "ping") {
        asio::co_spawn(executor_, send_quietly(protocol::make_result(id, Json::object())),
                       asio::detached);
        return;
    }
    auto pending = observer_for(related);
    if (!pending) {
        Json reply =
            method == "roots/list"
                ? protocol::make_result(id, {{"roots", Json::array()}})
                : protocol::make_error(id, ec::method_not_found,
                                       "no client is waiting on this upstream to answer " + method);
        asio::co_spawn(executor_, send_quietly(std::move(reply)), asio::detached);
        return;
    }
    asio::co_spawn(executor_, answer_server_request(std::move(message), pending->observer),
                   asio::detached);
}

asio::awaitable<void> McpClient::answer_server_request(Json request,
                                                       std::shared_ptr<CallObserver> observer) {
    const Json id = request["id"];
    Json reply;
    try {
        Json answer = co_await observer->on_server_request(std::move(request));
        if (answer.contains("error")) {
            reply = Json{{"jsonrpc", "2.0"}, {"id", id}, {"error", answer["error"]}};
        } else {
            reply = protocol::make_result(id, answer.value("result", Json::object()));
        }
    } catch (const std::exception& e) {
        reply = protocol::make_error(id, ec::internal_error, e.what());
    }
    co_await send_quietly(std::move(reply));
}

void McpClient::fail_all(const std::string& reason) {
    const bool was_alive = alive_.exchange(false);
    std::map<std::int64_t, std::shared_ptr<Pending>> pending;
    std::function<void(const std::string&)> closed;
    {
        std::lock_guard lock(mutex_);
        pending.swap(pending_);
        by_progress_token_.clear();
        closed = closed_handler_;
    }
    for (auto& [id, p] : pending) {
        p->done.try_send(outcome_code(Outcome::lost),
                         Json("upstream " + name_ + " went away: " + reason));
    }
    if (was_alive && !closed_.load() && closed) closed(reason);
}

}  // namespace mcpproxy::upstream
