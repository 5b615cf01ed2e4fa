#include "kernel/net/responses.hpp"

#include <nlohmann/json.hpp>

namespace mcpproxy::net {

Response empty_response(http::status status, const Request& request) {
    Response res{status, request.version()};
    res.keep_alive(request.keep_alive());
    res.content_length(0);
    return res;
}

Response json_response(http::status status, const Request& request, const nlohmann::json& body) {
    return text_response(status, request,
                         body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
                         "application/json");
}

Response text_response(http::status status, const Request& request, std::string body,
                       std::string_view content_type) {
    Response res{status, request.version()};
    res.keep_alive(request.keep_alive());
    res.set(http::field::content_type, content_type);
    res.set(http::field::cache_control, "no-store");
    res.body() = std::move(body);
    res.prepare_payload();
    return res;
}

}  // namespace mcpproxy::net
