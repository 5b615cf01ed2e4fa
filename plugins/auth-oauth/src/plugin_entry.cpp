// The plugin's exported entry points; everything else lives in auth_oauth_core.
#include "mcpproxy/sdk/plugin.hpp"
#include "oauth_plugin.hpp"

using mcpproxy::oauth::OAuthPlugin;

MCPPROXY_PLUGIN(
    OAuthPlugin, "auth-oauth", "auth_bridge", "0.1.0",
    "OAuth resource server (JWT access tokens from an identity provider) and OAuth client "
    "of upstream servers",
    "auth")
