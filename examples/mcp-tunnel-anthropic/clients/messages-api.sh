#!/bin/sh
# One Messages API call that lets Claude use mcpproxy through the Anthropic MCP tunnel (MCP
# connector). The MCP connector is a beta feature: set ANTHROPIC_BETA to the current value from
# https://platform.claude.com/docs/en/agents-and-tools/mcp-connector (it changes; mcpproxy never
# hard-codes it), and check the request shape there too.
#   ANTHROPIC_API_KEY  your API key          MCPPROXY_TOKEN  the agent token for this caller
#   ANTHROPIC_MODEL    a model id            ANTHROPIC_TUNNEL_DOMAIN  the tunnel's domain
curl -sS https://api.anthropic.com/v1/messages \
  -H "x-api-key: ${ANTHROPIC_API_KEY:?}" \
  -H "anthropic-version: 2023-06-01" \
  -H "anthropic-beta: ${ANTHROPIC_BETA:?set it from Anthropic's MCP connector docs}" \
  -H "content-type: application/json" \
  -d @- <<JSON
{
  "model": "${ANTHROPIC_MODEL:?}",
  "max_tokens": 1024,
  "messages": [{"role": "user", "content": "Use retrieve_tools to find an echo tool, then echo hello."}],
  "mcp_servers": [{
    "type": "url",
    "name": "mcpproxy",
    "url": "https://mcpproxy.${ANTHROPIC_TUNNEL_DOMAIN:?}/mcp",
    "authorization_token": "${MCPPROXY_TOKEN:?}"
  }]
}
JSON
