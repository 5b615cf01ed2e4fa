#pragma once

#include <string>

#include "cloudflared_config.hpp"

namespace mcpproxy::tunnel_cloudflared {

struct PreflightResult {
    std::string binary_path;
    std::string version;
};

// The binary exists and answers --version with a version number; a named tunnel has a well-formed
// token and a hostname. Throws std::runtime_error with one sentence saying what to do.
PreflightResult preflight_cloudflared(const std::string& binary);
void preflight_named_tunnel(const std::string& token, const std::string& hostname);

}  // namespace mcpproxy::tunnel_cloudflared
