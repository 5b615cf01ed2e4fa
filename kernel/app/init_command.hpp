#pragma once

#include <iosfwd>
#include <string>

namespace mcpproxy::app {

struct InitOptions {
    std::string config_file;  // empty: ~/.mcpproxy/mcp_config.json
    std::string listen = "127.0.0.1:8080";
    bool management = true;  // the loopback management listener (web UI, REST API)
    bool force = false;      // overwrite an existing file
    bool interactive = false;
};

// The commented starting config `mcpproxy init` writes (JSON with // comments).
std::string starting_config(const InitOptions& options);

// `mcpproxy init`: writes the starting config (mode 0600); asks for the values on a terminal
// unless told not to. Returns the exit code.
int init_command(InitOptions options, std::istream& in, std::ostream& out, std::ostream& err);

}  // namespace mcpproxy::app
