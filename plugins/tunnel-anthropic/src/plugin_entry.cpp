#include "anthropic_plugin.hpp"

MCPPROXY_PLUGIN(
    mcpproxy::tunnel_anthropic::AnthropicPlugin, "tunnel-anthropic", "tunnel_adapter", "0.1.0",
    "mcpproxy behind Anthropic MCP tunnels (cloudflared + mcp-proxy with an operator CA)", "tunnel")
