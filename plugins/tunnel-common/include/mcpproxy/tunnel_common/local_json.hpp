#pragma once

#include <chrono>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "mcpproxy/sdk/http_client.hpp"

namespace mcpproxy::tunnel_common {

struct JsonReply {
    int status = 0;                      // HTTP status, 0 when nothing answered
    std::optional<nlohmann::json> json;  // set when the body parsed as JSON
    std::string error;                   // why there is no JSON (transport, status or parse)
};

// GET url from a daemon's local API and parse the body as JSON (any status; error is set for
// status >= 400 as well, json still holds the body when it parsed).
JsonReply get_json(sdk::HttpClient& http, const std::string& url,
                   std::chrono::milliseconds timeout = std::chrono::milliseconds(2000));

}  // namespace mcpproxy::tunnel_common
