#include "upstream/token_endpoint.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "upstream/oauth_http.hpp"
#include "upstream/oauth_urls.hpp"

namespace mcpproxy::oauth {
namespace {

std::string printable(std::string s, std::size_t limit = 200) {
    for (auto& c : s) {
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
    }
    if (s.size() > limit) s = s.substr(0, limit) + "...";
    return s;
}

}  // namespace

TokenAnswer read_token_answer(const sdk::HttpClientResponse& res) {
    TokenAnswer a;
    if (res.status == 0) {
        a.problem = "token endpoint unreachable: " + printable(res.error);
        return a;
    }
    const auto j = nlohmann::json::parse(res.body, nullptr, false);
    const bool object = !j.is_discarded() && j.is_object();
    if (res.status != 200) {
        const std::string error = object && j.contains("error") && j["error"].is_string()
                                      ? j["error"].get<std::string>()
                                      : std::string();
        a.problem = "token endpoint answered HTTP " + std::to_string(res.status);
        if (!error.empty()) a.problem += " " + printable(error, 64);
        if (object && j.contains("error_description") && j["error_description"].is_string())
            a.problem += ": " + printable(j["error_description"].get<std::string>());
        if (error == "invalid_grant") a.kind = TokenAnswer::Kind::rejected;
        return a;
    }
    if (!object || !j.contains("access_token") || !j["access_token"].is_string() ||
        j["access_token"].get<std::string>().empty()) {
        a.problem = "token endpoint answer holds no access_token";
        return a;
    }
    if (j.contains("token_type") && j["token_type"].is_string()) {
        auto type = j["token_type"].get<std::string>();
        for (auto& c : type) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (type != "bearer") {
            a.problem =
                "token endpoint issued a token of type " + printable(type, 32) + ", not Bearer";
            return a;
        }
    }
    a.kind = TokenAnswer::Kind::issued;
    a.tokens.access_token = j["access_token"].get<std::string>();
    if (j.contains("refresh_token") && j["refresh_token"].is_string())
        a.tokens.refresh_token = j["refresh_token"].get<std::string>();
    if (j.contains("scope") && j["scope"].is_string()) a.tokens.scope = j["scope"];
    if (j.contains("expires_in") && j["expires_in"].is_number() &&
        j["expires_in"].get<double>() > 0) {
        // A server may say anything; ten years is as good as forever and keeps now + expires_in
        // (and its conversions) in range.
        constexpr double kLongest = 10.0 * 365 * 24 * 3600;
        a.tokens.expires_in =
            static_cast<std::int64_t>(std::min(j["expires_in"].get<double>(), kLongest));
    }
    return a;
}

TokenAnswer request_tokens(sdk::HttpClient& http, const TokenClient& client,
                           std::vector<std::pair<std::string, std::string>> grant) {
    std::map<std::string, std::string> headers;
    if (!client.client_secret.empty() && client.auth_method != "client_secret_post") {
        // RFC 6749 §2.3.1: both parts form-encoded before base64.
        headers["Authorization"] = "Basic " + base64_encode(percent_encode(client.client_id) + ":" +
                                                            percent_encode(client.client_secret));
    } else {
        grant.emplace_back("client_id", client.client_id);
        if (!client.client_secret.empty())
            grant.emplace_back("client_secret", client.client_secret);
    }
    return read_token_answer(post_form(http, client.token_endpoint, grant, headers));
}

}  // namespace mcpproxy::oauth
