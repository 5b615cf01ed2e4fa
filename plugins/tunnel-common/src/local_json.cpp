#include "mcpproxy/tunnel_common/local_json.hpp"

namespace mcpproxy::tunnel_common {

JsonReply get_json(sdk::HttpClient& http, const std::string& url,
                   std::chrono::milliseconds timeout) {
    sdk::HttpClientRequest request;
    request.url = url;
    request.timeout = timeout;
    request.headers["Accept"] = "application/json";
    JsonReply reply;
    const auto response = http.send(request);
    reply.status = response.status;
    if (response.status == 0) {
        reply.error = response.error.empty() ? "no answer" : response.error;
        return reply;
    }
    auto parsed = nlohmann::json::parse(response.body, nullptr, false);
    if (!parsed.is_discarded()) reply.json = std::move(parsed);
    if (response.status >= 400) {
        reply.error = "HTTP " + std::to_string(response.status);
    } else if (!reply.json) {
        reply.error = "the answer is not JSON";
    }
    return reply;
}

}  // namespace mcpproxy::tunnel_common
