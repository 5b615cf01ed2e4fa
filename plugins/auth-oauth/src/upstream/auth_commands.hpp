#pragma once

#include <vector>

#include "mcpproxy/sdk/command.hpp"
#include "mcpproxy/sdk/host.hpp"
#include "upstream/upstream_config.hpp"

namespace mcpproxy::oauth {

// `auth login --server NAME [--no-browser]`, `auth status [-o json]`, `auth logout --server
// NAME`. Each run opens the token store itself, prints one "error: ..." line to stderr and
// returns 1 on failure (2 for a usage error), 0 on success. Never prints a secret.
[[nodiscard]] std::vector<sdk::CommandSpec> auth_commands(sdk::Host& host,
                                                          const UpstreamOAuthConfig& config);

}  // namespace mcpproxy::oauth
