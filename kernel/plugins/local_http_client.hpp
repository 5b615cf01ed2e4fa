#pragma once

#include "mcpproxy/sdk/http_client.hpp"

namespace mcpproxy::plugins {

// The kernel's sdk::HttpClient: one blocking request per call on a fresh connection (HTTP over
// TCP, HTTPS verified against the system trust store, or HTTP over a unix socket for
// "unix:///path/to.sock:/path"), bounded by the request's timeout. Meant for tunnel daemons'
// local APIs and identity providers' metadata and keys; no redirects. Thread-safe (no state).
class LocalHttpClient final : public sdk::HttpClient {
public:
    sdk::HttpClientResponse send(const sdk::HttpClientRequest& request) override;
};

}  // namespace mcpproxy::plugins
