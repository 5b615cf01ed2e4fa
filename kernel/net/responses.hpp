#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>

#include "kernel/net/http_types.hpp"

namespace mcpproxy::net {

// A response with no body and no identifying headers.
Response empty_response(http::status status, const Request& request);
Response json_response(http::status status, const Request& request, const nlohmann::json& body);
Response text_response(http::status status, const Request& request, std::string body,
                       std::string_view content_type = "text/plain; charset=utf-8");

}  // namespace mcpproxy::net
