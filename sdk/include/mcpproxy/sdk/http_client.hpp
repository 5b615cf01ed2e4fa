#pragma once

#include <chrono>
#include <map>
#include <string>

#include "mcpproxy/sdk/visibility.hpp"

namespace mcpproxy::sdk {

struct HttpClientRequest {
    std::string method = "GET";
    // http://host:port/path, https://host/path (verified against the system trust store), or
    // unix:///path/to.sock:/path for a local socket
    std::string url;
    std::map<std::string, std::string> headers;
    std::string body;
    std::chrono::milliseconds timeout{5'000};
};

struct HttpClientResponse {
    int status = 0;                              // 0 when no response arrived; error says why
    std::map<std::string, std::string> headers;  // lower-case names
    std::string body;
    std::string error;
};

// A small blocking client for local daemon APIs (tunnel daemons' metrics and status endpoints) and
// identity providers' metadata and keys.
// Thread-safe; call it from a plugin's own thread or a scheduled task, never from an auth call.
class MCPPROXY_SDK_VISIBLE HttpClient {
public:
    virtual ~HttpClient() = default;
    virtual HttpClientResponse send(const HttpClientRequest& request) = 0;
};

}  // namespace mcpproxy::sdk
