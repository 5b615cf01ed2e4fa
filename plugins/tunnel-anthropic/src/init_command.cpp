#include "init_command.hpp"

#include <arpa/inet.h>
#include <sys/stat.h>

#include <ctime>
#include <iomanip>
#include <ostream>
#include <sstream>
#include <stdexcept>

#include "cert_authority.hpp"
#include "mcpproxy/tunnel_common/url.hpp"
#include "private_file.hpp"
#include "proxy_config.hpp"

namespace mcpproxy::tunnel_anthropic {
namespace fs = std::filesystem;
namespace {

std::string utc(std::chrono::system_clock::time_point t) {
    const auto tt = std::chrono::system_clock::to_time_t(t);
    std::tm tm{};
    gmtime_r(&tt, &tm);
    std::ostringstream out;
    out << std::put_time(&tm, "%Y-%m-%d %H:%M UTC");
    return out.str();
}

std::vector<std::string> split_commas(const std::string& text) {
    std::vector<std::string> out;
    std::string item;
    std::istringstream in(text);
    while (std::getline(in, item, ',')) {
        while (!item.empty() && item.front() == ' ') item.erase(0, 1);
        while (!item.empty() && item.back() == ' ') item.pop_back();
        if (!item.empty()) out.push_back(item);
    }
    return out;
}

bool is_ipv4(const std::string& s) {
    in_addr addr{};
    return ::inet_pton(AF_INET, s.c_str(), &addr) == 1;
}

}  // namespace

InitResult run_init(const InitOptions& o) {
    check_domain(o.domain);
    const auto upstream = normalise_upstream(o.upstream);
    if (o.subdomain.empty() || o.subdomain.find('.') != std::string::npos) {
        throw std::runtime_error("--subdomain is one DNS label (e.g. mcpproxy), got \"" +
                                 o.subdomain + "\"");
    }
    std::vector<std::string> allowed;
    const auto upstream_host = tunnel_common::parse_url(upstream)->host;
    if (is_ipv4(upstream_host)) allowed.push_back(upstream_host);
    for (const auto& ip : o.allowed_ips) {
        check_ipv4_or_cidr(ip);
        if (std::find(allowed.begin(), allowed.end(), ip) == allowed.end()) allowed.push_back(ip);
    }
    if (allowed.empty()) {
        throw std::runtime_error(
            "mcp-proxy only connects to allowed IPv4 addresses and --upstream names a host (" +
            upstream_host + "): pass --allowed-ips with mcpproxy's address");
    }

    fs::create_directories(o.out_dir);
    const auto dir = fs::absolute(o.out_dir);
    InitResult r;
    r.ca_cert = dir / "ca.crt";
    r.ca_key = dir / "ca.key";
    r.server_cert = dir / "server.crt";
    r.server_key = dir / "server.key";
    r.proxy_config = dir / "mcp-proxy.yaml";

    Issued ca;
    if (fs::exists(r.ca_cert) && fs::exists(r.ca_key)) {
        ca.cert = read_certificate(r.ca_cert);
        ca.key = read_private_key(r.ca_key);
        r.reused_ca = true;
    } else if (fs::exists(r.ca_cert) || fs::exists(r.ca_key)) {
        throw std::runtime_error(
            "found only one of ca.crt and ca.key in " + dir.string() +
            ": restore the other, or remove both to create a new CA (then register it again)");
    } else {
        ca = make_ca("mcpproxy tunnel CA for " + o.domain, o.ca_validity);
        write_file_atomically(r.ca_key, pem_of_private_key(ca.key.get()), 0600);
        write_file_atomically(r.ca_cert, pem_of_certificate(ca.cert.get()), 0644);
    }
    const auto server = make_server_certificate(ca, o.domain, o.server_validity);
    write_file_atomically(r.server_key, pem_of_private_key(server.key.get()), 0600);
    write_file_atomically(r.server_cert, pem_of_certificate(server.cert.get()), 0644);
    r.server_not_after = not_after(server.cert.get());

    ProxyConfigInput config;
    config.listen_addr = o.listen_addr;
    config.tunnel_domain = o.domain;
    config.cert_file = r.server_cert.string();
    config.key_file = r.server_key.string();
    config.subdomain = o.subdomain;
    config.upstream = upstream;
    config.allowed_ips = allowed;
    write_file_atomically(r.proxy_config, render_proxy_config(config), 0644);
    return r;
}

InitResult run_renew(const RenewOptions& o) {
    const auto dir = fs::absolute(o.out_dir);
    InitResult r;
    r.ca_cert = dir / "ca.crt";
    r.ca_key = dir / "ca.key";
    r.server_cert = dir / "server.crt";
    r.server_key = dir / "server.key";
    r.proxy_config = dir / "mcp-proxy.yaml";
    if (!fs::exists(r.ca_cert) || !fs::exists(r.ca_key)) {
        throw std::runtime_error("--renew keeps the CA registered with Anthropic, but " +
                                 dir.string() +
                                 " has no ca.crt and ca.key: restore them, or run init without "
                                 "--renew to create a new CA (then register it again)");
    }
    Issued ca;
    ca.cert = read_certificate(r.ca_cert);
    ca.key = read_private_key(r.ca_key);
    r.reused_ca = true;
    std::string domain = o.domain;
    if (domain.empty() && fs::exists(r.server_cert)) {
        domain = wildcard_domain_of(read_certificate(r.server_cert).get());
    }
    if (domain.empty()) {
        throw std::runtime_error("no server certificate with a *.<domain> name in " + dir.string() +
                                 " to renew: pass --domain");
    }
    check_domain(domain);
    const auto server = make_server_certificate(ca, domain, o.server_validity);
    write_file_atomically(r.server_key, pem_of_private_key(server.key.get()), 0600);
    write_file_atomically(r.server_cert, pem_of_certificate(server.cert.get()), 0644);
    r.server_not_after = not_after(server.cert.get());
    return r;
}

namespace {

int print_renewal(const InitResult& r, std::ostream& out) {
    out << "kept the existing CA   " << r.ca_cert.string() << "\n";
    out << "server certificate     " << r.server_cert.string() << " (renewed, valid until "
        << utc(r.server_not_after) << ")\n";
    out << "server key (0600)      " << r.server_key.string() << "\n";
    out << "mcp-proxy config       " << r.proxy_config.string() << " (unchanged)\n";
    out << "next: restart mcp-proxy so it loads the new server certificate (mcpproxy needs no "
           "restart)\n";
    return 0;
}

}  // namespace

sdk::CommandSpec init_command_spec() {
    sdk::CommandSpec spec;
    spec.path = "tunnel anthropic init";
    spec.help =
        "Create the operator CA, mcp-proxy's server certificate and mcp-proxy.yaml for an "
        "Anthropic MCP tunnel";
    spec.options = {
        {"--domain", "The tunnel's domain as Anthropic assigned it (required unless --renew)",
         false, false, ""},
        {"--out", "Folder for ca.crt, ca.key, server.crt, server.key, mcp-proxy.yaml", false, true,
         ""},
        {"--subdomain", "Route name: <subdomain>.<domain> reaches mcpproxy", false, false,
         "mcpproxy"},
        {"--upstream", "mcpproxy's tunneled listener as mcp-proxy reaches it, http://HOST:PORT",
         false, false, "http://127.0.0.1:8080"},
        {"--listen-addr", "mcp-proxy's listen_addr", false, false, "0.0.0.0:8443"},
        {"--allowed-ips", "More IPv4 addresses/CIDRs mcp-proxy may connect to, comma-separated",
         false, false, ""},
        {"--renew",
         "Only issue a new server certificate from the existing CA; keep mcp-proxy.yaml (for the "
         "renewal timer)",
         true, false, ""},
    };
    spec.run = [](const sdk::CommandContext& ctx) {
        if (ctx.flag("renew")) {
            RenewOptions renew;
            renew.out_dir = ctx.option("out").value_or("");
            renew.domain = ctx.option("domain").value_or("");
            return print_renewal(run_renew(renew), ctx.out());
        }
        InitOptions o;
        o.domain = ctx.option("domain").value_or("");
        o.out_dir = ctx.option("out").value_or("");
        o.subdomain = ctx.option("subdomain").value_or("mcpproxy");
        o.upstream = ctx.option("upstream").value_or("http://127.0.0.1:8080");
        o.listen_addr = ctx.option("listen-addr").value_or("0.0.0.0:8443");
        o.allowed_ips = split_commas(ctx.option("allowed-ips").value_or(""));
        const auto r = run_init(o);
        auto& out = ctx.out();
        out << (r.reused_ca ? "kept the existing CA   " : "created the CA         ")
            << r.ca_cert.string() << "\n";
        out << "CA private key (0600)  " << r.ca_key.string() << "\n";
        out << "server certificate     " << r.server_cert.string() << " (*." << o.domain
            << ", valid until " << utc(r.server_not_after) << ")\n";
        out << "server key (0600)      " << r.server_key.string() << "\n";
        out << "mcp-proxy config       " << r.proxy_config.string() << "\n";
        out << "next: "
            << (r.reused_ca
                    ? "restart mcp-proxy so it loads the new server certificate"
                    : "register ca.crt as the tunnel's CA certificate with Anthropic, then start "
                      "mcp-proxy with mcp-proxy.yaml")
            << "; keep ca.key offline if you can (it signs server certificates)\n";
        return 0;
    };
    return spec;
}

}  // namespace mcpproxy::tunnel_anthropic
