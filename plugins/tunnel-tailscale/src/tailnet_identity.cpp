#include "tailnet_identity.hpp"

#include <nlohmann/json.hpp>

#include "mcpproxy/tunnel_common/url.hpp"

namespace mcpproxy::tunnel_tailscale {
namespace {

bool is_loopback(std::string_view ip) {
    return ip.starts_with("127.") || ip == "::1" || ip == "::ffff:127.0.0.1";
}

std::string trim(std::string_view s) {
    const auto b = s.find_first_not_of(" \t");
    if (b == std::string_view::npos) return {};
    const auto e = s.find_last_not_of(" \t");
    return std::string(s.substr(b, e - b + 1));
}

}  // namespace

std::string last_forwarded_for(std::string_view header) {
    const auto comma = header.rfind(',');
    return trim(comma == std::string_view::npos ? header : header.substr(comma + 1));
}

TailnetIdentity::TailnetIdentity(sdk::Host& host, const TailscaleConfig& config)
    : host_(host), config_(config) {}

namespace {

// j[outer][inner] when both are of the expected type (objects, then a string); else "".
std::string text_at(const nlohmann::json& j, const char* outer, const char* inner) {
    const auto o = j.find(outer);
    if (o == j.end() || !o->is_object()) return {};
    const auto i = o->find(inner);
    return i != o->end() && i->is_string() ? i->get<std::string>() : std::string();
}

}  // namespace

TailnetIdentity::Whois TailnetIdentity::whois(const std::string& ip) {
    const auto now = std::chrono::steady_clock::now();
    {
        std::lock_guard lock(mutex_);
        const auto it = cache_.find(ip);
        if (it != cache_.end() && it->second.expires > now) return it->second;
    }
    sdk::HttpClientRequest request;
    request.url = "unix://" + local_api_socket(config_) + ":/localapi/v0/whois?addr=" + ip;
    request.headers["Host"] = "local-tailscaled.sock";
    request.timeout = std::chrono::milliseconds(500);
    const auto response = host_.http().send(request);
    Whois out;
    out.expires = now + std::chrono::seconds(5);
    if (response.status == 200) {
        const auto j = nlohmann::json::parse(response.body, nullptr, false);
        if (!j.is_discarded() && j.is_object()) {
            // Type-checked: json::value() throws on another type, and a daemon may answer anything.
            out.login = tunnel_common::lower(text_at(j, "UserProfile", "LoginName"));
            out.node = text_at(j, "Node", "Name");
            if (!out.login.empty()) out.expires = now + std::chrono::seconds(60);
        }
    } else if (response.status == 0) {
        host_.logger().warn("tailscale whois over " + local_api_socket(config_) +
                            " failed: " + response.error);
    }
    std::lock_guard lock(mutex_);
    cache_[ip] = out;
    return out;
}

sdk::AuthResult TailnetIdentity::authenticate(const sdk::RequestView& request) {
    const auto header = request.header("Tailscale-User-Login");
    if (!header || header->empty()) return sdk::AuthResult::not_mine();
    if (request.header("Tailscale-Funnel-Request")) {
        return sdk::AuthResult::reject("tailscale_identity_on_funnel");
    }
    const auto login = tunnel_common::lower(trim(*header));
    const auto grant = config_.identities.find(login);
    if (grant == config_.identities.end()) return sdk::AuthResult::not_mine();
    if (!is_loopback(request.peer_address())) {
        return sdk::AuthResult::reject("tailscale_header_not_from_tailscaled");
    }
    const auto forwarded = request.header("X-Forwarded-For");
    const auto ip = forwarded ? last_forwarded_for(*forwarded) : std::string();
    if (ip.empty()) return sdk::AuthResult::reject("tailscale_no_client_address");
    const auto who = whois(ip);
    if (who.login != login) return sdk::AuthResult::reject("tailscale_whois_mismatch");
    sdk::Identity identity;
    identity.name = "tailscale:" + login;
    identity.kind = "tailscale";
    identity.allowed_servers = grant->second.servers;
    identity.permission = grant->second.permission;
    if (!who.node.empty()) identity.attributes["tailnet_node"] = who.node;
    return sdk::AuthResult::accept(std::move(identity));
}

std::vector<std::string> TailnetIdentity::credential_names(std::size_t limit) const {
    std::vector<std::string> names;
    for (const auto& [login, _] : config_.identities) {
        if (names.size() >= limit) break;
        names.push_back("tailscale:" + login);
    }
    return names;
}

std::string TailnetIdentity::setup_hint() const {
    return "map tailnet logins in the tunnel-tailscale config (\"identities\")";
}

}  // namespace mcpproxy::tunnel_tailscale
