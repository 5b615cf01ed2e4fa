#include "upstream/oauth_urls.hpp"

#include <cctype>

namespace mcpproxy::oauth {

UrlParts split_url(std::string_view url) {
    if (const auto cut = url.find_first_of("?#"); cut != std::string_view::npos)
        url = url.substr(0, cut);
    const auto scheme_end = url.find("://");
    const auto path_start =
        url.find('/', scheme_end == std::string_view::npos ? 0 : scheme_end + 3);
    UrlParts parts;
    parts.origin = std::string(url.substr(0, path_start));
    if (path_start != std::string_view::npos) parts.path = std::string(url.substr(path_start));
    while (!parts.path.empty() && parts.path.back() == '/') parts.path.pop_back();
    return parts;
}

std::vector<std::string> protected_resource_metadata_urls(std::string_view server_url) {
    const auto u = split_url(server_url);
    const std::string root = u.origin + "/.well-known/oauth-protected-resource";
    if (u.path.empty()) return {root};
    return {root + u.path, root};
}

std::vector<std::string> authorization_server_metadata_urls(std::string_view issuer) {
    const auto u = split_url(issuer);
    if (u.path.empty()) {
        return {u.origin + "/.well-known/oauth-authorization-server",
                u.origin + "/.well-known/openid-configuration"};
    }
    return {u.origin + "/.well-known/oauth-authorization-server" + u.path,
            u.origin + "/.well-known/openid-configuration" + u.path,
            u.origin + u.path + "/.well-known/openid-configuration"};
}

std::string canonical_resource(std::string_view server_url) {
    const auto u = split_url(server_url);
    std::string origin = u.origin;
    // Scheme and host are case-insensitive; the canonical form is lower case.
    for (auto& c : origin) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return origin + u.path;
}

std::string percent_encode(std::string_view s) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (const char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        if (std::isalnum(c) != 0 || c == '-' || c == '.' || c == '_' || c == '~') {
            out += ch;
        } else {
            out += '%';
            out += kHex[c >> 4];
            out += kHex[c & 15];
        }
    }
    return out;
}

std::string form_encode(const std::vector<std::pair<std::string, std::string>>& fields) {
    std::string out;
    for (const auto& [name, value] : fields) {
        if (!out.empty()) out += '&';
        out += percent_encode(name) + "=" + percent_encode(value);
    }
    return out;
}

std::string percent_decode(std::string_view s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '+') {
            out += ' ';
        } else if (s[i] == '%' && i + 2 < s.size() &&
                   std::isxdigit(static_cast<unsigned char>(s[i + 1])) != 0 &&
                   std::isxdigit(static_cast<unsigned char>(s[i + 2])) != 0) {
            out += static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16));
            i += 2;
        } else {
            out += s[i];
        }
    }
    return out;
}

std::map<std::string, std::string> parse_query(std::string_view query) {
    std::map<std::string, std::string> out;
    while (!query.empty()) {
        const auto amp = query.find('&');
        const auto pair = query.substr(0, amp);
        const auto eq = pair.find('=');
        auto name = percent_decode(pair.substr(0, eq));
        auto value =
            eq == std::string_view::npos ? std::string() : percent_decode(pair.substr(eq + 1));
        if (!name.empty()) out.emplace(std::move(name), std::move(value));
        if (amp == std::string_view::npos) break;
        query.remove_prefix(amp + 1);
    }
    return out;
}

std::string with_query(std::string_view url,
                       const std::vector<std::pair<std::string, std::string>>& fields) {
    std::string out(url);
    out += out.find('?') == std::string::npos ? '?' : '&';
    return out + form_encode(fields);
}

}  // namespace mcpproxy::oauth
