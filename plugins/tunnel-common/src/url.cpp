#include "mcpproxy/tunnel_common/url.hpp"

#include <cctype>
#include <charconv>

namespace mcpproxy::tunnel_common {

std::string lower(std::string_view text) {
    std::string out(text);
    for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

std::optional<Url> parse_url(std::string_view text) {
    const auto sep = text.find("://");
    if (sep == std::string_view::npos || sep == 0) return std::nullopt;
    Url url;
    url.scheme = lower(text.substr(0, sep));
    auto rest = text.substr(sep + 3);
    const auto path_at = rest.find_first_of("/?#");
    auto authority = rest.substr(0, path_at);
    if (path_at != std::string_view::npos) url.path = std::string(rest.substr(path_at));
    if (const auto at = authority.rfind('@'); at != std::string_view::npos)
        authority.remove_prefix(at + 1);
    std::string_view port_text;
    if (authority.starts_with("[")) {
        const auto close = authority.find(']');
        if (close == std::string_view::npos) return std::nullopt;
        url.host = std::string(authority.substr(1, close - 1));
        const auto after = authority.substr(close + 1);
        if (!after.empty()) {
            if (after.front() != ':') return std::nullopt;
            port_text = after.substr(1);
        }
    } else {
        const auto colon = authority.rfind(':');
        url.host = std::string(authority.substr(0, colon));
        if (colon != std::string_view::npos) port_text = authority.substr(colon + 1);
    }
    if (url.host.empty()) return std::nullopt;
    if (!port_text.empty()) {
        unsigned value = 0;
        const auto [end, ec] =
            std::from_chars(port_text.data(), port_text.data() + port_text.size(), value);
        if (ec != std::errc{} || end != port_text.data() + port_text.size() || value == 0 ||
            value > 65535) {
            return std::nullopt;
        }
        url.port = static_cast<std::uint16_t>(value);
    }
    url.host = lower(url.host);
    return url;
}

std::string authority_of(const Url& url) {
    std::string host = url.host.find(':') != std::string::npos ? "[" + url.host + "]" : url.host;
    return url.port == 0 ? host : host + ":" + std::to_string(url.port);
}

std::string find_url_in_line(std::string_view line, std::string_view host_suffix) {
    for (auto at = line.find("https://"); at != std::string_view::npos;
         at = line.find("https://", at + 1)) {
        auto end = at;
        while (end < line.size()) {
            const auto c = static_cast<unsigned char>(line[end]);
            if (c <= ' ' || c == '|' || c == '"' || c >= 0x80) break;
            ++end;
        }
        const auto candidate = line.substr(at, end - at);
        const auto url = parse_url(candidate);
        if (url && url->host.size() > host_suffix.size() &&
            url->host.ends_with(lower(host_suffix))) {
            return std::string(candidate);
        }
    }
    return {};
}

}  // namespace mcpproxy::tunnel_common
