#include "proxy_config.hpp"

#include <arpa/inet.h>

#include <cctype>
#include <stdexcept>

#include "mcpproxy/tunnel_common/url.hpp"

namespace mcpproxy::tunnel_anthropic {
namespace {

std::string quoted(const std::string& s) {
    std::string out = "\"";
    for (const char c : s) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    return out + "\"";
}

bool is_ipv4(const std::string& s) {
    in_addr addr{};
    return ::inet_pton(AF_INET, s.c_str(), &addr) == 1;
}

}  // namespace

void check_domain(const std::string& domain) {
    bool ok = !domain.empty() && domain.find('.') != std::string::npos && domain.front() != '.' &&
              domain.back() != '.' && domain.find("..") == std::string::npos;
    for (const char c : domain) {
        ok = ok && (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.');
    }
    if (!ok) {
        throw std::runtime_error(
            "--domain must be the tunnel's domain as Anthropic assigned it (a DNS name such as "
            "t-abc123.example-tunnels.com), got \"" +
            domain + "\"");
    }
}

void check_ipv4_or_cidr(const std::string& entry) {
    const auto slash = entry.find('/');
    const auto address = entry.substr(0, slash);
    bool ok = is_ipv4(address);
    if (ok && slash != std::string::npos) {
        const auto bits = entry.substr(slash + 1);
        ok = !bits.empty() && bits.size() <= 2 &&
             std::isdigit(static_cast<unsigned char>(bits[0])) && std::stoi(bits) <= 32;
    }
    if (!ok) {
        throw std::runtime_error(
            "allowed IPs are IPv4 addresses or CIDR ranges (mcp-proxy's upstream.allowed_ips), got "
            "\"" +
            entry + "\"");
    }
}

std::string normalise_upstream(const std::string& url) {
    const auto parsed = tunnel_common::parse_url(url);
    if (!parsed || (parsed->scheme != "http" && parsed->scheme != "https") || parsed->port == 0) {
        throw std::runtime_error(
            "--upstream must be http://HOST:PORT of mcpproxy's tunneled listener, got \"" + url +
            "\"");
    }
    if (!parsed->path.empty() && parsed->path != "/") {
        throw std::runtime_error(
            "--upstream takes no path (mcp-proxy routes map a subdomain to http://HOST:PORT and "
            "forward the request path, /mcp, as is), got \"" +
            url + "\"");
    }
    return parsed->scheme + "://" + tunnel_common::authority_of(*parsed);
}

std::string render_proxy_config(const ProxyConfigInput& in) {
    std::string y;
    y += "# mcp-proxy configuration for Anthropic MCP tunnels, written by `mcpproxy tunnel "
         "anthropic init`.\n";
    y += "# Mount it at /etc/mcp-gateway/config.yaml. Routes map a subdomain of tunnel_domain to "
         "mcpproxy.\n";
    y += "listen_addr: " + quoted(in.listen_addr) + "\n";
    y += "tunnel_domain: " + quoted(in.tunnel_domain) + "\n";
    y += "tls:\n";
    y += "  cert_file: " + quoted(in.cert_file) + "\n";
    y += "  key_file: " + quoted(in.key_file) + "\n";
    y += "routes:\n";
    y += "  " + in.subdomain + ": " + quoted(in.upstream) + "\n";
    y += "upstream:\n";
    y += "  allowed_ips:\n";
    for (const auto& ip : in.allowed_ips) y += "    - " + quoted(ip) + "\n";
    return y;
}

}  // namespace mcpproxy::tunnel_anthropic
