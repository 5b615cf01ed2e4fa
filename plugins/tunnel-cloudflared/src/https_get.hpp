#pragma once

#include <chrono>
#include <string>

namespace mcpproxy::tunnel_cloudflared {

struct FetchResult {
    int status = 0;  // 0: no answer; error says why
    std::string body;
    std::string error;
};

// One blocking GET over HTTPS (server certificate and host name verified against the system's
// trust store) or plain HTTP (for a local test server). For the Access JWKS only.
FetchResult https_get(const std::string& url, std::chrono::milliseconds timeout);

}  // namespace mcpproxy::tunnel_cloudflared
