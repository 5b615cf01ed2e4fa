#include "kernel/net/http_exchange.hpp"

namespace mcpproxy::net {

HttpExchange::HttpExchange(Request request, const ConnectionInfo& connection,
                           std::string request_id)
    : request_(std::move(request)), connection_(connection), request_id_(std::move(request_id)) {}

std::string_view HttpExchange::path() const {
    const std::string_view target = request_.target();
    const auto q = target.find('?');
    return q == std::string_view::npos ? target : target.substr(0, q);
}

std::string_view HttpExchange::query() const {
    const std::string_view target = request_.target();
    const auto q = target.find('?');
    return q == std::string_view::npos ? std::string_view{} : target.substr(q + 1);
}

std::string_view ExchangeRequestView::method() const {
    return exchange_.request().method_string();
}

std::optional<std::string_view> ExchangeRequestView::header(std::string_view name) const {
    const auto& fields = exchange_.request().base();
    const auto it = fields.find(name);
    if (it == fields.end()) return std::nullopt;
    return it->value();
}

std::string_view ExchangeRequestView::peer_address() const {
    return exchange_.connection().peer_address;
}

std::string_view ExchangeRequestView::listener_name() const {
    return exchange_.connection().listener_name;
}

std::string_view ExchangeRequestView::peer_certificate_der() const {
    return exchange_.connection().peer_certificate_der;
}

}  // namespace mcpproxy::net
