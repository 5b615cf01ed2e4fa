#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace mcpproxy::tunnel_ngrok {

// The public URL of the endpoint forwarding to upstream in GET /api/endpoints
// ({"endpoints": [{"url", "upstream": {"url"}}]}); the only endpoint's URL when none names the
// upstream; empty when there is none.
std::string url_from_endpoints(const nlohmann::json& reply, const std::string& upstream);
// The same from the older GET /api/tunnels ({"tunnels": [{"public_url", "proto",
// "config": {"addr"}}]}), preferring https.
std::string url_from_tunnels(const nlohmann::json& reply, const std::string& upstream);
// session.status from GET /api/status ("online", "reconnecting", ...); empty when absent.
std::string session_status(const nlohmann::json& reply);

}  // namespace mcpproxy::tunnel_ngrok
