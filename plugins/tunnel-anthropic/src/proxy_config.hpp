#pragma once

#include <string>
#include <vector>

namespace mcpproxy::tunnel_anthropic {

struct ProxyConfigInput {
    std::string listen_addr;    // mcp-proxy's own listener, e.g. "0.0.0.0:8443"
    std::string tunnel_domain;  // the domain Anthropic assigned to the tunnel
    std::string cert_file;
    std::string key_file;
    std::string subdomain;  // routes key: <subdomain>.<tunnel_domain> reaches mcpproxy
    std::string upstream;   // http://HOST:PORT of mcpproxy's tunneled listener, no path
    std::vector<std::string> allowed_ips;  // IPv4 addresses or CIDRs mcp-proxy may connect to
};

// The YAML mcp-proxy reads (/etc/mcp-gateway/config.yaml): listen_addr, tunnel_domain,
// tls.cert_file/key_file, routes as a flat map subdomain -> URL, upstream.allowed_ips.
std::string render_proxy_config(const ProxyConfigInput& in);

// Checks and normalises "http://HOST:PORT" (a trailing '/' is dropped; any other path is
// refused because routes carry none). Throws std::runtime_error saying what to pass.
std::string normalise_upstream(const std::string& url);
// "10.0.0.5" or "10.0.0.0/8"; throws for anything else (mcp-proxy takes IPv4 only).
void check_ipv4_or_cidr(const std::string& entry);
// The domain is a DNS name with at least two labels; throws otherwise.
void check_domain(const std::string& domain);

}  // namespace mcpproxy::tunnel_anthropic
