#include "kernel/app/tunnel_origin_check.hpp"

#include "kernel/net/http_exchange.hpp"
#include "kernel/net/responses.hpp"

namespace mcpproxy::app {

net::Handler require_tunnel_origin(net::Handler inner, std::vector<NamedAdapter> adapters,
                                   std::shared_ptr<plugins::PluginFaults> faults) {
    if (adapters.empty()) return inner;
    return [inner = std::move(inner), adapters = std::move(adapters),
            faults = std::move(faults)](net::HttpExchange& ex) -> net::Awaitable<void> {
        bool verified = true;
        {
            const net::ExchangeRequestView view(ex);
            for (const auto& a : adapters) {
                verified = verified && faults->call(
                                           a.plugin, "verify_request()",
                                           [&] { return a.adapter->verify_request(view); }, false);
            }
        }
        if (!verified) {
            auto response =
                net::text_response(net::http::status::forbidden, ex.request(),
                                   R"({"error":"not_from_tunnel"})", "application/json");
            co_await ex.respond(std::move(response));
            co_return;
        }
        co_await inner(ex);
    };
}

}  // namespace mcpproxy::app
