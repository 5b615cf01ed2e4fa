#include "kernel/mgmt/route_request.hpp"

namespace mcpproxy::mgmt {
namespace {

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// Form-style decoding ('+' is a space, as browsers' URLSearchParams send it); a malformed
// escape is kept as it is.
std::string decode_component(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '+') {
            out += ' ';
        } else if (s[i] == '%' && i + 2 < s.size() && hex_value(s[i + 1]) >= 0 &&
                   hex_value(s[i + 2]) >= 0) {
            out += static_cast<char>(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2]));
            i += 2;
        } else {
            out += s[i];
        }
    }
    return out;
}

}  // namespace

// Hand-written rather than Boost.URL's parse_query: in Boost 1.81 the view it returns reaches one
// byte past the query, so a '%' after it in the request buffer made the scan run off the buffer
// (a crash of the management listener, seen in the tunnel integration tests).
std::map<std::string, std::string, std::less<>> parse_query(std::string_view query) {
    std::map<std::string, std::string, std::less<>> out;
    while (!query.empty()) {
        const auto amp = query.find('&');
        const auto pair = query.substr(0, amp);
        query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
        if (pair.empty()) continue;
        const auto eq = pair.find('=');
        out.emplace(
            decode_component(pair.substr(0, eq)),
            eq == std::string_view::npos ? std::string() : decode_component(pair.substr(eq + 1)));
    }
    return out;
}

ExchangeRouteRequest::ExchangeRouteRequest(const net::HttpExchange& exchange)
    : exchange_(exchange), query_(parse_query(exchange.query())) {}

std::string_view ExchangeRouteRequest::method() const {
    return exchange_.request().method_string();
}

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
