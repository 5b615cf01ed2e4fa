#pragma once

#include <chrono>
#include <functional>
#include <ostream>
#include <string>

#include "mcpproxy/sdk/http_client.hpp"
#include "upstream/token_store.hpp"
#include "upstream/upstream_config.hpp"

namespace mcpproxy::oauth {

struct LoginRequest {
    std::string server;
    std::string server_url;
    UpstreamClientConfig client;
    unsigned short callback_port = 8765;
    std::chrono::milliseconds timeout{std::chrono::minutes(5)};
    std::function<void(const std::string& url)> open_browser;  // may be empty
};

// The whole `auth login`: probe for the 401 challenge, discovery, client (configured, stored or
// registered), PKCE S256 + state, the authorization URL printed to out, the loopback callback,
// the code exchange; the tokens land in the store. Throws OAuthFlowError with a message that
// holds no secret.
TokenRecord run_login(sdk::HttpClient& http, TokenStore& store, const LoginRequest& request,
                      std::ostream& out, std::int64_t now_seconds);

}  // namespace mcpproxy::oauth
