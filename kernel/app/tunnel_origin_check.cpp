#include "kernel/app/tunnel_origin_check.hpp"

#include "kernel/net/http_exchange.hpp"
#include "kernel/net/responses.hpp"

namespace mcpproxy::app {

net::Handler require_tunnel_origin(net::Handler inner, std::vector<sdk::TunnelAdapter*> adapters) {
    if (adapters.empty()) return inner;
    return [inner = std::move(inner),
            adapters = std::move(adapters)](net::HttpExchange& ex) -> net::Awaitable<void> {
        bool verified = true;
        {
            const net::ExchangeRequestView view(ex);
            for (auto* adapter : adapters) {
                try {
                    verified = verified && adapter->verify_request(view);
                } catch (...) {
                    verified = false;
                }
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
