#include "kernel/health/health_routes.hpp"

#include <nlohmann/json.hpp>

#include "kernel/net/responses.hpp"

namespace mcpproxy::health {
namespace http = net::http;

namespace {
bool is_get_or_head(const net::Request& req) {
    return req.method() == http::verb::get || req.method() == http::verb::head;
}
}  // namespace

net::Handler healthz_handler(std::shared_ptr<const Readiness> readiness) {
    return [readiness](net::HttpExchange& ex) -> net::Awaitable<void> {
        if (!is_get_or_head(ex.request())) {
            auto res = net::empty_response(http::status::method_not_allowed, ex.request());
            res.set(http::field::allow, "GET, HEAD");
            co_await ex.respond(std::move(res));
            co_return;
        }
        const bool ready = readiness->ready();
        std::string text = ready ? "ok\n" : "starting\n";
        auto res = net::text_response(ready ? http::status::ok : http::status::service_unavailable,
                                      ex.request(), std::move(text));
        co_await ex.respond(std::move(res));
    };
}

net::Handler bare_healthz_handler(std::shared_ptr<const Readiness> readiness) {
    return [readiness](net::HttpExchange& ex) -> net::Awaitable<void> {
        if (!is_get_or_head(ex.request())) {
            co_await ex.respond(net::empty_response(http::status::not_found, ex.request()));
            co_return;
        }
        co_await ex.respond(net::empty_response(
            readiness->ready() ? http::status::ok : http::status::service_unavailable,
            ex.request()));
    };
}

net::Handler readyz_handler(std::shared_ptr<const Readiness> readiness) {
    return [readiness](net::HttpExchange& ex) -> net::Awaitable<void> {
        if (!is_get_or_head(ex.request())) {
            auto res = net::empty_response(http::status::method_not_allowed, ex.request());
            res.set(http::field::allow, "GET, HEAD");
            co_await ex.respond(std::move(res));
            co_return;
        }
        nlohmann::json body;
        body["ready"] = readiness->ready();
        nlohmann::json waiting = nlohmann::json::array();
        for (const auto& p : readiness->pending()) {
            waiting.push_back({{"component", p.component}, {"detail", p.detail}});
        }
        body["not_ready"] = waiting;
        nlohmann::json degraded = nlohmann::json::array();
        for (const auto& d : readiness->degraded()) {
            degraded.push_back({{"component", d.component}, {"detail", d.detail}});
        }
        body["degraded"] = degraded;
        const auto status =
            body["ready"].get<bool>() ? http::status::ok : http::status::service_unavailable;
        auto res = net::json_response(status, ex.request(), body);
        co_await ex.respond(std::move(res));
    };
}

}  // namespace mcpproxy::health
