#include "kernel/tunnel/tunnel_rules.hpp"

#include <stdexcept>

#include "kernel/util/host_port.hpp"

namespace mcpproxy::tunnel {

std::string tunnel_setup_hint(const std::vector<sdk::AuthBridge*>& bridges) {
    if (bridges.empty()) {
        return "load an auth bridge plugin with --plugin NAME (see `mcpproxy plugins list`)";
    }
    for (auto* b : bridges) {
        std::string hint;
        try {
            hint = b->setup_hint();
        } catch (...) {
            continue;  // a hint is a courtesy: the next bridge's, or the generic one
        }
        if (!hint.empty()) return hint;
    }
    return "create a credential with your auth bridge first";
}
namespace {

std::string join(const std::vector<std::string>& items, std::string_view empty) {
    if (items.empty()) return std::string(empty);
    std::string out;
    for (const auto& i : items) out += (out.empty() ? "" : ", ") + i;
    return out;
}

bool same_port_and_overlapping_host(const util::HostPort& a, const util::HostPort& b) {
    if (a.port != b.port || a.port == 0) return false;
    const auto wildcard = [](const std::string& h) { return h == "0.0.0.0" || h == "::"; };
    return a.host == b.host || wildcard(a.host) || wildcard(b.host);
}

}  // namespace

std::string tunneled_listen_address(const config::Config& config) {
    return config.tunnel.listen.empty() ? config.listen : config.tunnel.listen;
}

void check_tunnel_rules(const config::Config& config,
                        const std::vector<std::string>& credential_names, bool has_auth_bridge,
                        const std::string& hint) {
    if (!config.tunnel.enabled) return;
    const auto listen = tunneled_listen_address(config);
    if (!has_auth_bridge) {
        throw std::runtime_error(
            "tunnel mode refuses to start: no auth bridge is loaded for the tunneled listener " +
            listen + "; " + hint);
    }
    if (credential_names.empty()) {
        throw std::runtime_error(
            "tunnel mode refuses to start: no credential exists that the tunneled listener " +
            listen + " would accept; " + hint);
    }
    if (config.management.enabled) {
        const auto m = util::parse_host_port(config.management.listen);
        const auto t = util::parse_host_port(listen);
        if (m && t && same_port_and_overlapping_host(*m, *t)) {
            throw std::runtime_error(
                "tunnel mode refuses to start: the management API and web UI would be served on "
                "the "
                "tunneled listener " +
                listen + "; give management.listen its own loopback address");
        }
    }
}

void check_management_rules(const config::Config& config) {
    if (!config.management.enabled) return;
    const auto m = util::parse_host_port(config.management.listen);
    if (m && !util::is_loopback_host(m->host)) {
        throw std::runtime_error(
            "the management listener " + config.management.listen +
            " must be on a loopback address (127.0.0.1 or ::1): it serves the admin API and has no "
            "TLS in this build; reach it over SSH port forwarding instead");
    }
}

std::string tunnel_banner(const std::string& listener, const std::string& public_url,
                          const std::vector<std::string>& credential_names,
                          const std::vector<std::string>& servers) {
    return "tunnel mode: listener " + listener + " serves /mcp and /healthz only; public URL " +
           (public_url.empty() ? "not reported yet" : public_url) +
           "; credentials allowed: " + join(credential_names, "none") +
           "; upstream servers: " + join(servers, "none");
}

}  // namespace mcpproxy::tunnel
