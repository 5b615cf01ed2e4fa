#include "upstream/upstream_config.hpp"

#include <stdexcept>

#include "inbound_config.hpp"
#include "scope_rule.hpp"

namespace mcpproxy::oauth {
namespace {

using Json = nlohmann::json;

[[noreturn]] void fail(const std::string& where, const std::string& problem) {
    throw std::invalid_argument(where + ": " + problem);
}

std::string string_value(const Json& j, const char* key, const std::string& where) {
    if (!j.contains(key)) return {};
    if (!j[key].is_string() || j[key].get<std::string>().empty())
        fail(where + "." + key, "expected a non-empty string");
    return j[key].get<std::string>();
}

UpstreamClientConfig parse_entry(const Json& j, const std::string& where) {
    if (!j.is_object()) fail(where, "expected an object");
    auth_common::reject_unknown_keys(j, {"client_id", "client_secret", "scopes", "send_resource"},
                                     where);
    UpstreamClientConfig c;
    c.client_id = string_value(j, "client_id", where);
    c.client_secret = string_value(j, "client_secret", where);
    if (!c.client_secret.empty() && c.client_id.empty())
        fail(where + ".client_secret", "given without client_id");
    if (j.contains("scopes")) {
        const auto& s = j["scopes"];
        if (!s.is_array()) fail(where + ".scopes", "expected a list of scope names");
        for (const auto& v : s) {
            if (!v.is_string() || v.get<std::string>().empty() ||
                v.get<std::string>().find(' ') != std::string::npos)
                fail(where + ".scopes", "expected a list of scope names without spaces");
            c.scopes.push_back(v.get<std::string>());
        }
    }
    if (j.contains("send_resource")) {
        if (!j["send_resource"].is_boolean()) fail(where + ".send_resource", "expected true/false");
        c.send_resource = j["send_resource"].get<bool>();
    }
    return c;
}

}  // namespace

UpstreamClientConfig UpstreamOAuthConfig::for_server(const std::string& server) const {
    const auto it = servers.find(server);
    return it == servers.end() ? UpstreamClientConfig{} : it->second;
}

std::string UpstreamOAuthConfig::redirect_uri() const {
    return "http://127.0.0.1:" + std::to_string(callback_port) + "/callback";
}

UpstreamOAuthConfig parse_upstream_config(const Json& config) {
    UpstreamOAuthConfig c;
    if (config.contains("upstreams")) {
        const auto& u = config["upstreams"];
        if (!u.is_object()) fail("config.upstreams", "expected an object keyed by mcpServers name");
        for (const auto& [name, entry] : u.items()) {
            c.servers[name] = parse_entry(entry, "config.upstreams." + name);
        }
    }
    if (config.contains("callback_port")) {
        const auto& p = config["callback_port"];
        if (!p.is_number_integer() || p.get<long long>() < 1 || p.get<long long>() > 65535)
            fail("config.callback_port", "expected a port number 1-65535");
        c.callback_port = static_cast<unsigned short>(p.get<long long>());
    }
    if (config.contains("login_timeout")) {
        const auto d = parse_duration(config["login_timeout"]);
        if (!d || *d < std::chrono::seconds(1) || *d > std::chrono::hours(1))
            fail("config.login_timeout", "expected a duration between \"1s\" and \"1h\"");
        c.login_timeout = *d;
    }
    return c;
}

}  // namespace mcpproxy::oauth
