#include "kernel/app/metrics_wiring.hpp"

#include "kernel/mgmt/admin_key.hpp"
#include "kernel/net/responses.hpp"

namespace mcpproxy::app {

RecordObserver make_metrics_sink(std::shared_ptr<metrics::Registry> registry) {
    registry->describe("mcpproxy_requests_total", "counter",
                       "MCP requests by listener, method and HTTP status");
    registry->describe("mcpproxy_denials_total", "counter", "Requests denied, by reason");
    registry->describe("mcpproxy_auth_failures_total", "counter",
                       "Requests rejected for authentication");
    registry->describe("mcpproxy_upstream_calls_total", "counter",
                       "Calls forwarded to upstreams, by server and outcome");
    registry->describe("mcpproxy_upstream_call_duration_seconds", "histogram",
                       "Time from receiving a forwarded request to answering it, by server");
    return [registry](const mcp::RequestRecord& r) {
        registry->add("mcpproxy_requests_total",
                      {{"listener", r.listener},
                       {"method", r.method.empty() ? std::string_view("-") : r.method},
                       {"status", std::to_string(r.http_status)}});
        if (r.denied) registry->add("mcpproxy_denials_total", {{"reason", r.reason}});
        if (r.http_status == 401) registry->add("mcpproxy_auth_failures_total", {});
        if (!r.server.empty() && !r.denied) {
            registry->add("mcpproxy_upstream_calls_total",
                          {{"server", r.server}, {"outcome", r.jsonrpc_error ? "error" : "ok"}});
            registry->observe("mcpproxy_upstream_call_duration_seconds", {{"server", r.server}},
                              std::chrono::duration<double>(r.latency).count());
        }
    };
}

mcp::RecordSink fan_out(mcp::RecordSink sink, RecordObserver observer) {
    return [sink = std::move(sink), observer = std::move(observer)](mcp::RequestRecord r) {
        if (observer) observer(r);
        if (sink) sink(std::move(r));
    };
}

net::Handler metrics_handler(std::shared_ptr<metrics::Registry> registry, std::string admin_key,
                             std::function<std::string()> gauges) {
    return [registry, admin_key, gauges](net::HttpExchange& ex) -> net::Awaitable<void> {
        const auto& req = ex.request();
        const auto it = req.base().find(net::http::field::authorization);
        std::string_view presented;
        if (it != req.base().end()) {
            const std::string_view v(it->value().data(), it->value().size());
            if (v.starts_with("Bearer ")) presented = v.substr(7);
        }
        if (!mgmt::admin_key_matches(admin_key, presented)) {
            auto res = net::empty_response(net::http::status::unauthorized, req);
            res.set(net::http::field::www_authenticate, "Bearer");
            co_await ex.respond(std::move(res));
            co_return;
        }
        // Built outside the co_await: GCC 12 destroys temporaries of a conditional expression
        // inside a co_await twice.
        std::string body = registry->render();
        if (gauges) body += gauges();
        auto res = net::text_response(net::http::status::ok, req, std::move(body),
                                      "text/plain; version=0.0.4; charset=utf-8");
        co_await ex.respond(std::move(res));
    };
}

}  // namespace mcpproxy::app
