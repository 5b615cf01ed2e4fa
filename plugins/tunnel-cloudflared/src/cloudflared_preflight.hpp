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
// The version in `cloudflared --version` output ("cloudflared version 2024.11.1 (built ...)" ->
// "2024.11.1"); empty when the text is not cloudflared's.
std::string parse_cloudflared_version(const std::string& output);
PreflightResult preflight_cloudflared(const std::string& binary);
void preflight_named_tunnel(const std::string& token, const std::string& hostname);

}  // namespace mcpproxy::tunnel_cloudflared
