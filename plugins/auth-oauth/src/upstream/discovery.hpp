#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "mcpproxy/sdk/http_client.hpp"
#include "upstream/bearer_challenge.hpp"

namespace mcpproxy::oauth {

// What a login needs to know about an upstream server's authorization server.
struct AuthorizationServer {
    std::string resource;  // the RFC 8707 resource indicator for the upstream server
    std::string issuer;
    std::string authorization_endpoint;
    std::string token_endpoint;
    std::string registration_endpoint;  // empty: no dynamic client registration
    std::string revocation_endpoint;
    std::vector<std::string> scopes_supported;    // the resource's, else the server's
    std::vector<std::string> token_auth_methods;  // token_endpoint_auth_methods_supported
};

// Checks an authorization server's RFC 8414 / OpenID metadata document; throws OAuthFlowError
// when a required endpoint is missing or PKCE S256 is not offered.
[[nodiscard]] AuthorizationServer read_authorization_server_metadata(const nlohmann::json& doc,
                                                                     const std::string& issuer);

// MCP 2025-03-26 (no RFC 9728 metadata): the metadata fetched from the MCP server's origin. Its
// issuer may carry a path ("<origin>/oauth") but must be on that origin: the origin already
// controls the document, so this names no authority it does not own. Any other origin is
// refused as in read_authorization_server_metadata. The result's issuer is the published one
// (the RFC 9207 `iss` of the login answer is compared with it).
[[nodiscard]] AuthorizationServer read_origin_authorization_server_metadata(
    const nlohmann::json& doc, const std::string& origin);

// MCP 2025-03-26 for a server that publishes no authorization server metadata at all: the
// default endpoints <origin>/authorize, /token and /register (PKCE S256 is mandatory in that
// spec version, so it is used without the metadata saying so).
[[nodiscard]] AuthorizationServer default_authorization_server(const std::string& origin);

// RFC 9728 protected-resource metadata (from the challenge's resource_metadata, else the
// well-known URLs of server_url; when there is none and the challenge named none, the server's
// origin is taken as the authorization server, as in MCP 2025-03-26, with its default endpoints
// when every metadata URL there answers 404), then the authorization server's metadata. Throws
// OAuthFlowError saying what was tried.
[[nodiscard]] AuthorizationServer discover_authorization_server(sdk::HttpClient& http,
                                                                const std::string& server_url,
                                                                const BearerChallenge* challenge);

// Sends an unauthenticated MCP initialize to server_url and returns the Bearer challenge of its
// 401 answer (nullopt when it answers otherwise).
[[nodiscard]] std::optional<BearerChallenge> probe_challenge(sdk::HttpClient& http,
                                                             const std::string& server_url);

}  // namespace mcpproxy::oauth
