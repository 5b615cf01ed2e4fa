#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mcpproxy::tunnel_ngrok {

struct NgrokConfig {
    std::string program = "ngrok";
    std::string authtoken;                          // from the config block (prefer the env var)
    std::string authtoken_env = "NGROK_AUTHTOKEN";  // read from mcpproxy's environment
    std::vector<std::string> config_files;          // the user's ngrok.yml files, read before ours
    std::string url;                                // a reserved domain/URL (--url); empty: random
    std::uint16_t web_port = 0;                     // agent API port on 127.0.0.1; 0: a free one
    bool edge_auth_check = false;                   // generate the traffic-policy file
    std::chrono::milliseconds poll_interval{1000};
    // A run not ready by then is reported failed, saying why (still polled: it may come up).
    std::chrono::milliseconds ready_timeout{60'000};
};

NgrokConfig parse_ngrok_config(std::string_view json_text);

// The token to hand ngrok in NGROK_AUTHTOKEN: the config's, else the named environment variable.
std::optional<std::string> resolve_authtoken(const NgrokConfig& config);

}  // namespace mcpproxy::tunnel_ngrok
