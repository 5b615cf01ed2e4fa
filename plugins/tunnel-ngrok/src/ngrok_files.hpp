#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

namespace mcpproxy::tunnel_ngrok {

// The agent config mcpproxy passes with --config: only web_addr (the agent API on loopback at a
// port mcpproxy chose). The authtoken is never written here; it goes in NGROK_AUTHTOKEN.
std::string agent_config_yaml(std::uint16_t web_port);

// A traffic policy that makes ngrok's edge answer 404 for every path except /mcp and /healthz,
// and 401 for /mcp without an agent-token-shaped credential (Authorization: Bearer mcp_agt_... or
// X-API-Key). Defence in depth only: mcpproxy still verifies every token.
std::string edge_auth_policy_yaml();

// Writes content to path with mode 0600 (via a temp file and rename, so readers never see a half
// file and an existing file with looser permissions is replaced). Throws std::runtime_error.
void write_private_file(const std::filesystem::path& path, const std::string& content);

}  // namespace mcpproxy::tunnel_ngrok
