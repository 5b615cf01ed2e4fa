#pragma once

#include <string>
#include <string_view>

namespace mcpproxy::upstream::http {

// Where an upstream's Streamable HTTP endpoint lives, split the way a connection needs it.
struct UpstreamUrl {
    bool tls = false;
    std::string host;         // for DNS, SNI and certificate checks: no brackets around IPv6
    std::string port;         // always set ("80"/"443" when the URL has none)
    std::string host_header;  // value of the Host header: "[::1]:8080", "example.com"
    std::string target;       // request target: path plus query, at least "/"
    std::string display;      // secret-free: scheme://host[:port]/path, no userinfo, no query
};

// Parses and checks an upstream URL: http or https, a host, no userinfo. Throws
// std::invalid_argument whose message never repeats the URL (its query may hold a key).
UpstreamUrl parse_upstream_url(std::string_view url);

}  // namespace mcpproxy::upstream::http
