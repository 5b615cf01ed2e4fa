#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mcpproxy::tunnel_common {

struct Url {
    std::string scheme;      // lower case: "http", "https"
    std::string host;        // without brackets for IPv6
    std::uint16_t port = 0;  // 0 when the URL names none
    std::string path;        // "" or starting with '/', query included
};

// Parses "scheme://host[:port][/path]"; nullopt for anything else.
std::optional<Url> parse_url(std::string_view text);
// "https://abc.example.com:8443/x" -> "abc.example.com:8443"; the port only when given.
std::string authority_of(const Url& url);
// The first "https://..." URL in a log line whose host ends with host_suffix (e.g.
// ".trycloudflare.com"); empty when there is none. Box-drawing and '|' around it are ignored.
std::string find_url_in_line(std::string_view line, std::string_view host_suffix);
// Lower-case copy (ASCII).
std::string lower(std::string_view text);

}  // namespace mcpproxy::tunnel_common
