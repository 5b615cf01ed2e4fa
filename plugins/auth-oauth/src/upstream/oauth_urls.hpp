#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace mcpproxy::oauth {

// "https://a.example:8443/x/y?q#f" -> origin "https://a.example:8443", path "/x/y" ("" for "/").
struct UrlParts {
    std::string origin;
    std::string path;
};
[[nodiscard]] UrlParts split_url(std::string_view url);

// RFC 9728 §3.1 and the MCP authorization spec: where to look for the protected-resource
// metadata of an MCP server at server_url when the 401 named none (path-inserted form first,
// then the root).
[[nodiscard]] std::vector<std::string> protected_resource_metadata_urls(
    std::string_view server_url);

// RFC 8414 §3.1 and OpenID Connect Discovery with the MCP spec's path-insertion rules, in the
// order the MCP 2025-11-25 authorization spec gives.
[[nodiscard]] std::vector<std::string> authorization_server_metadata_urls(std::string_view issuer);

// The RFC 8707 resource indicator for a server URL: no fragment, no query, no trailing "/".
[[nodiscard]] std::string canonical_resource(std::string_view server_url);

// application/x-www-form-urlencoded (RFC 3986 unreserved characters kept).
[[nodiscard]] std::string percent_encode(std::string_view s);
[[nodiscard]] std::string form_encode(
    const std::vector<std::pair<std::string, std::string>>& fields);
[[nodiscard]] std::string percent_decode(std::string_view s);  // '+' is a space
// "a=1&b=2" -> {a: 1, b: 2}; the first occurrence of a name wins.
[[nodiscard]] std::map<std::string, std::string> parse_query(std::string_view query);

// Appends query fields to a URL that may already have a query.
[[nodiscard]] std::string with_query(
    std::string_view url, const std::vector<std::pair<std::string, std::string>>& fields);

}  // namespace mcpproxy::oauth
