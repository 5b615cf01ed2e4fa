#include "ngrok_agent_api.hpp"

namespace mcpproxy::tunnel_ngrok {
namespace {

using nlohmann::json;

std::string text(const json& j, const char* key) {
    if (!j.is_object()) return {};
    const auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

bool same_upstream(std::string a, std::string b) {
    for (auto* s : {&a, &b}) {
        if (!s->empty() && s->back() == '/') s->pop_back();
        if (s->find("://") == std::string::npos) *s = "http://" + *s;
    }
    return a == b;
}

}  // namespace

std::string url_from_endpoints(const json& reply, const std::string& upstream) {
    if (!reply.is_object() || !reply.contains("endpoints") || !reply["endpoints"].is_array())
        return {};
    const auto& list = reply["endpoints"];
    for (const auto& e : list) {
        const auto up =
            e.is_object() && e.contains("upstream") ? text(e["upstream"], "url") : std::string();
        auto url = text(e, "url");
        if (url.empty()) url = text(e, "public_url");
        if (!url.empty() && same_upstream(up, upstream)) return url;
    }
    if (list.size() == 1) {
        auto url = text(list[0], "url");
        return url.empty() ? text(list[0], "public_url") : url;
    }
    return {};
}

std::string url_from_tunnels(const json& reply, const std::string& upstream) {
    if (!reply.is_object() || !reply.contains("tunnels") || !reply["tunnels"].is_array()) return {};
    std::string fallback;
    for (const auto& t : reply["tunnels"]) {
        const auto url = text(t, "public_url");
        if (url.empty()) continue;
        const auto addr =
            t.is_object() && t.contains("config") ? text(t["config"], "addr") : std::string();
        if (!addr.empty() && !same_upstream(addr, upstream)) continue;
        if (url.starts_with("https://")) return url;
        if (fallback.empty()) fallback = url;
    }
    return fallback;
}

std::string session_status(const json& reply) {
    if (!reply.is_object() || !reply.contains("session")) return {};
    return text(reply["session"], "status");
}

}  // namespace mcpproxy::tunnel_ngrok
