#pragma once

#include <string>
#include <vector>

#include "kernel/config/config.hpp"
#include "mcpproxy/sdk/auth_bridge.hpp"

namespace mcpproxy::tunnel {

// Refuses an unsafe tunnel-mode setup before anything is bound; throws std::runtime_error with
// one line that says what to do. credential_names: what the tunneled listener's auth bridges
// would accept (empty: nobody).
// hint: what to do, from the bridges' own setup hints or the auth bridge plugins found.
void check_tunnel_rules(const config::Config& config,
                        const std::vector<std::string>& credential_names, bool has_auth_bridge,
                        const std::string& hint);

// What to do when the tunneled listener would accept nobody: the first bridge's own setup hint,
// else a generic one (the kernel names no auth scheme).
std::string tunnel_setup_hint(const std::vector<sdk::AuthBridge*>& bridges);

// Refuses a management listener that is reachable from other machines (this build has no TLS
// for it yet) or that shares the tunneled listener's address.
void check_management_rules(const config::Config& config);

// The one start-up line of tunnel mode. Never contains a secret.
std::string tunnel_banner(const std::string& listener, const std::string& public_url,
                          const std::vector<std::string>& credential_names,
                          const std::vector<std::string>& servers);

// The address the tunnel daemon forwards to.
std::string tunneled_listen_address(const config::Config& config);

}  // namespace mcpproxy::tunnel
