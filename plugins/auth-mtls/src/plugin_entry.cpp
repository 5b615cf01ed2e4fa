// The plugin's exported entry points; everything else lives in auth_mtls_core.
#include "mcpproxy/sdk/plugin.hpp"
#include "mtls_plugin.hpp"

using mcpproxy::mtls::MtlsPlugin;

MCPPROXY_PLUGIN(MtlsPlugin, "auth-mtls", "auth_bridge", "0.1.0",
                "Client certificates (mTLS) mapped to identities by config rules", "cert")
