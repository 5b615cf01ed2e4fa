#pragma once

#include <map>
#include <string>

#include "kernel/net/http_exchange.hpp"
#include "mcpproxy/sdk/route.hpp"

namespace mcpproxy::mgmt {

// The SDK's view of an HTTP request for plugin-contributed routes, with the query decoded.
class ExchangeRouteRequest final : public sdk::RouteRequest {
public:
    explicit ExchangeRouteRequest(const net::HttpExchange& exchange);
    [[nodiscard]] std::string_view method() const override;
    [[nodiscard]] std::string_view path() const override { return exchange_.path(); }
    [[nodiscard]] std::optional<std::string_view> query_param(std::string_view name) const override;
    [[nodiscard]] std::optional<std::string_view> header(std::string_view name) const override;
    [[nodiscard]] std::string_view body() const override { return exchange_.request().body(); }

private:
    const net::HttpExchange& exchange_;
    std::map<std::string, std::string, std::less<>> query_;
};

// Decodes "a=1&b=x%20y" into a map (the first value of a repeated key wins).
std::map<std::string, std::string, std::less<>> parse_query(std::string_view query);

}  // namespace mcpproxy::mgmt
