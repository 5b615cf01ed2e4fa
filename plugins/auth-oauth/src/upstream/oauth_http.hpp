#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "mcpproxy/sdk/http_client.hpp"

namespace mcpproxy::oauth {

// A failure of the OAuth flow whose message is safe to show (never holds a secret).
class OAuthFlowError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// GET url expecting a JSON object; nullopt (with why) for anything else.
struct JsonFetch {
    std::optional<nlohmann::json> json;
    std::string problem;  // "HTTP 404", "connection refused", "not a JSON object"
};
[[nodiscard]] JsonFetch get_json(sdk::HttpClient& http, const std::string& url);

// POST an application/x-www-form-urlencoded body.
[[nodiscard]] sdk::HttpClientResponse post_form(
    sdk::HttpClient& http, const std::string& url,
    const std::vector<std::pair<std::string, std::string>>& fields,
    const std::map<std::string, std::string>& headers = {});

// Standard base64 (with padding), for HTTP Basic credentials.
[[nodiscard]] std::string base64_encode(std::string_view bytes);

// https://, or http:// to a loopback host; other URLs from metadata are refused.
[[nodiscard]] bool is_http_url(std::string_view url);

}  // namespace mcpproxy::oauth
