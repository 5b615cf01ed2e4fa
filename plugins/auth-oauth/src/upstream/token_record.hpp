#pragma once

#include <cstdint>
#include <string>

namespace mcpproxy::oauth {

// What one login left for one upstream server: enough to send and refresh its tokens without
// discovering the authorization server again. Times are Unix seconds; expires_at 0: unknown.
struct TokenRecord {
    std::string server;
    std::string issuer;
    std::string resource;  // RFC 8707 resource indicator
    bool send_resource = true;
    std::string token_endpoint;
    std::string revocation_endpoint;
    std::string client_id;
    std::string client_secret;  // secret
    std::string auth_method;    // none, client_secret_basic or client_secret_post
    std::string access_token;   // secret
    std::string refresh_token;  // secret
    std::string scope;
    std::int64_t obtained_at = 0;
    std::int64_t expires_at = 0;
    std::string login_needed;  // why a person must log in again; empty while refreshable
};

// A client registered with an authorization server (RFC 7591) or configured for one server.
struct ClientRecord {
    std::string server;
    std::string issuer;
    std::string redirect_uri;
    std::string client_id;
    std::string client_secret;  // secret
    std::string auth_method;
};

}  // namespace mcpproxy::oauth
