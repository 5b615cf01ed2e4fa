#pragma once

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "mcpproxy/sdk/command.hpp"

namespace mcpproxy::tunnel_anthropic {

struct InitOptions {
    std::string domain;
    std::filesystem::path out_dir;
    std::string subdomain = "mcpproxy";
    std::string upstream = "http://127.0.0.1:8080";
    std::string listen_addr = "0.0.0.0:8443";
    std::vector<std::string> allowed_ips;  // the upstream's IPv4 address is always added
    std::chrono::hours server_validity{24 * 90};
    std::chrono::hours ca_validity{24 * 365 * 5};
};

struct InitResult {
    bool reused_ca = false;
    std::filesystem::path ca_cert, ca_key, server_cert, server_key, proxy_config;
    std::chrono::system_clock::time_point server_not_after;
};

// Writes into out_dir: ca.crt + ca.key (kept when both exist, so a registered CA stays valid
// across renewals), a new server.crt + server.key (90 days), and mcp-proxy.yaml. Keys are 0600,
// written atomically. Throws std::runtime_error saying what to fix.
InitResult run_init(const InitOptions& options);

struct RenewOptions {
    std::filesystem::path out_dir;
    std::string domain;  // empty: the domain of the server certificate already in out_dir
    std::chrono::hours server_validity{24 * 90};
};

// Issues a new server.crt + server.key signed by the CA already in out_dir and changes nothing
// else (mcp-proxy.yaml and the CA stay as they are). Refuses when the CA is missing: a new CA
// would have to be registered with Anthropic again.
InitResult run_renew(const RenewOptions& options);

// `mcpproxy tunnel anthropic init --domain D --out DIR [...]`, and `... init --renew --out DIR`.
sdk::CommandSpec init_command_spec();

}  // namespace mcpproxy::tunnel_anthropic
