// The plugin's exported entry points; everything else lives in auth_agent_token_core.
#include "agent_token_plugin.hpp"
#include "mcpproxy/sdk/plugin.hpp"

using mcpproxy::agent_token::AgentTokenPlugin;

MCPPROXY_PLUGIN(AgentTokenPlugin, "auth-agent-token", "auth_bridge", "0.1.0",
                "Agent tokens (mcp_agt_...) stored as HMAC-SHA-256", "token")
