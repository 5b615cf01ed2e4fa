#include "upstream/oauth_http.hpp"

#include <openssl/evp.h>

#include "upstream/oauth_urls.hpp"

namespace mcpproxy::oauth {

JsonFetch get_json(sdk::HttpClient& http, const std::string& url) {
    sdk::HttpClientRequest req;
    req.url = url;
    req.headers["Accept"] = "application/json";
    req.headers["MCP-Protocol-Version"] = "2025-06-18";
    const auto res = http.send(req);
    JsonFetch out;
    if (res.status == 0) {
        out.problem = res.error.empty() ? "no response" : res.error;
        return out;
    }
    if (res.status != 200) {
        out.problem = "HTTP " + std::to_string(res.status);
        return out;
    }
    auto j = nlohmann::json::parse(res.body, nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
        out.problem = "not a JSON object";
        return out;
    }
    out.json = std::move(j);
    return out;
}

sdk::HttpClientResponse post_form(sdk::HttpClient& http, const std::string& url,
                                  const std::vector<std::pair<std::string, std::string>>& fields,
                                  const std::map<std::string, std::string>& headers) {
    sdk::HttpClientRequest req;
    req.method = "POST";
    req.url = url;
    req.headers = headers;
    req.headers["Content-Type"] = "application/x-www-form-urlencoded";
    req.headers["Accept"] = "application/json";
    req.body = form_encode(fields);
    req.timeout = std::chrono::seconds(15);
    return http.send(req);
}

std::string base64_encode(std::string_view bytes) {
    std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
    const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                  reinterpret_cast<const unsigned char*>(bytes.data()),
                                  static_cast<int>(bytes.size()));
    out.resize(static_cast<std::size_t>(n));
    return out;
}

bool is_http_url(std::string_view url) {
    if (url.starts_with("https://")) return true;
    // OAuth 2.1 demands TLS for every endpoint; plain http only where nothing crosses a network.
    for (const std::string_view loopback :
         {"http://127.0.0.1:", "http://127.0.0.1/", "http://localhost:", "http://localhost/",
          "http://[::1]:", "http://[::1]/"}) {
        if (url.starts_with(loopback)) return true;
    }
    return false;
}

}  // namespace mcpproxy::oauth
