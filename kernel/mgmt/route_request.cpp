#include "kernel/mgmt/route_request.hpp"

#include <boost/url/params_view.hpp>
#include <boost/url/parse_query.hpp>

namespace mcpproxy::mgmt {

std::map<std::string, std::string, std::less<>> parse_query(std::string_view query) {
    std::map<std::string, std::string, std::less<>> out;
    if (query.empty()) return out;
    try {
        const auto parsed = boost::urls::parse_query(boost::core::string_view(query.data(), query.size()));
        if (!parsed) return out;
        const boost::urls::params_view params(*parsed);
        for (const auto& p : params) out.emplace(p.key, p.value);
    } catch (const std::exception&) {
        // A malformed query is treated as no query.
    }
    return out;
}

ExchangeRouteRequest::ExchangeRouteRequest(const net::HttpExchange& exchange)
    : exchange_(exchange), query_(parse_query(exchange.query())) {}

std::string_view ExchangeRouteRequest::method() const { return exchange_.request().method_string(); }

std::optional<std::string_view> ExchangeRouteRequest::query_param(std::string_view name) const {
    const auto it = query_.find(name);
    if (it == query_.end()) return std::nullopt;
    return it->second;
}

std::optional<std::string_view> ExchangeRouteRequest::header(std::string_view name) const {
    const auto& fields = exchange_.request().base();
    const auto it = fields.find(name);
    if (it == fields.end()) return std::nullopt;
    return std::string_view(it->value().data(), it->value().size());
}

}  // namespace mcpproxy::mgmt
