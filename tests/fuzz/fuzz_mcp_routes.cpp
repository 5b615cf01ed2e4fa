#include "tests/fuzz/fuzz_mcp_routes.hpp"

#include "kernel/net/responses.hpp"
#include "kernel/protocol/jsonrpc.hpp"

namespace mcpproxy::fuzz {
namespace {

using protocol::Json;
using protocol::MessageKind;

// The reply to one message of a POST, or null when it needs none (notification, response).
Json reply_to(const Json& message) {
    switch (protocol::classify(message)) {
        case MessageKind::request: {
            Json result = Json::object();
            result["method"] = protocol::method_of(message);
            return protocol::make_result(message["id"], std::move(result));
        }
        case MessageKind::invalid:
            return protocol::make_error(nullptr, protocol::error_code::invalid_request,
                                        "invalid JSON-RPC message");
        default:
            return nullptr;
    }
}

net::Awaitable<void> stream_reply(net::HttpExchange& ex, const Json& reply) {
    net::StreamHeader header{net::http::status::ok, ex.request().version()};
    header.set(net::http::field::content_type, "text/event-stream");
    if (!co_await ex.begin_stream(std::move(header))) co_return;
    const std::string event = "event: message\ndata: " + reply.dump() + "\n\n";
    if (!co_await ex.write_chunk(event)) co_return;
    co_await ex.end_stream();
}

net::Awaitable<void> serve_mcp(net::HttpExchange& ex) {
    const auto& req = ex.request();
    if (req.method() != net::http::verb::post) {
        co_await ex.respond(net::empty_response(net::http::status::method_not_allowed, req));
        co_return;
    }
    protocol::ParseFailure failure;
    const auto parsed = protocol::parse_json(req.body(), failure);
    if (!parsed) {
        const Json error =
            protocol::make_error(nullptr, protocol::error_code::parse_error, failure.reason);
        co_await ex.respond(net::json_response(net::http::status::bad_request, req, error));
        co_return;
    }
    if (parsed->is_array()) {
        Json replies = Json::array();
        for (const auto& message : *parsed) {
            Json reply = reply_to(message);
            if (!reply.is_null()) replies.push_back(std::move(reply));
        }
        co_await ex.respond(net::json_response(net::http::status::ok, req, replies));
        co_return;
    }
    const Json reply = reply_to(*parsed);
    if (reply.is_null()) {
        co_await ex.respond(net::empty_response(net::http::status::accepted, req));
    } else if (protocol::method_of(*parsed) == "stream") {
        co_await stream_reply(ex, reply);
    } else {
        const auto status =
            reply.contains("error") ? net::http::status::bad_request : net::http::status::ok;
        co_await ex.respond(net::json_response(status, req, reply));
    }
}

}  // namespace

std::shared_ptr<const net::RouteTable> make_mcp_like_routes() {
    auto routes = std::make_shared<net::RouteTable>();
    routes->add("/mcp", serve_mcp);
    routes->add("/healthz", [](net::HttpExchange& ex) -> net::Awaitable<void> {
        co_await ex.respond(net::text_response(net::http::status::ok, ex.request(), "ok\n"));
    });
    routes->add_prefix("/ui/", [](net::HttpExchange& ex) -> net::Awaitable<void> {
        std::string body(ex.query());
        co_await ex.respond(net::text_response(net::http::status::ok, ex.request(), body));
    });
    return routes;
}

}  // namespace mcpproxy::fuzz
