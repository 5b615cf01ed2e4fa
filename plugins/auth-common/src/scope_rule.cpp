#include "scope_rule.hpp"

#include <algorithm>
#include <stdexcept>

namespace mcpproxy::auth_common {
namespace {

[[noreturn]] void fail(const std::string& where, const std::string& key,
                       const std::string& problem) {
    throw std::invalid_argument(where + "." + key + ": " + problem);
}

std::vector<std::string> split_csv(const std::string& text) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start <= text.size()) {
        const auto comma = text.find(',', start);
        const auto end = comma == std::string::npos ? text.size() : comma;
        std::string item = text.substr(start, end - start);
        item.erase(0, item.find_first_not_of(" \t"));
        item.erase(item.find_last_not_of(" \t") + 1);
        if (!item.empty()) out.push_back(item);
        if (comma == std::string::npos) break;
        start = comma + 1;
    }
    return out;
}

std::vector<std::string> parse_servers(const nlohmann::json& v, const std::string& where) {
    std::vector<std::string> names;
    if (v.is_string()) {
        names = split_csv(v.get<std::string>());
    } else if (v.is_array()) {
        for (const auto& item : v) {
            if (!item.is_string()) fail(where, "servers", "expected server names (strings)");
            names.push_back(item.get<std::string>());
        }
    } else {
        fail(where, "servers", "expected \"*\", \"a,b\" or a list of server names");
    }
    if (names.empty()) fail(where, "servers", "must name at least one server (or \"*\")");
    if (std::find(names.begin(), names.end(), "*") != names.end()) {
        if (names.size() != 1) fail(where, "servers", "\"*\" cannot be combined with names");
        return {"*"};
    }
    std::vector<std::string> unique;
    for (auto& n : names) {
        if (std::find(unique.begin(), unique.end(), n) == unique.end()) unique.push_back(n);
    }
    return unique;
}

sdk::Permission parse_permissions(const nlohmann::json& v, const std::string& where) {
    if (!v.is_string())
        fail(where, "permissions",
             "expected \"read\", \"read,write\" or \"read,write,destructive\"");
    bool read = false;
    bool write = false;
    bool destructive = false;
    for (auto p : split_csv(v.get<std::string>())) {
        std::transform(p.begin(), p.end(), p.begin(),
                       [](unsigned char c) { return std::tolower(c); });
        if (p == "read")
            read = true;
        else if (p == "write")
            write = true;
        else if (p == "destructive")
            destructive = true;
        else
            fail(where, "permissions",
                 "unknown permission \"" + p + "\" (read, write, destructive)");
    }
    if (!read) fail(where, "permissions", "read is mandatory");
    if (destructive && !write) fail(where, "permissions", "destructive needs write");
    if (destructive) return sdk::Permission::destructive;
    return write ? sdk::Permission::write : sdk::Permission::read;
}

sdk::Limits parse_limits(const nlohmann::json& v, const std::string& where) {
    const std::string at = where + ".limits";
    if (!v.is_object()) fail(where, "limits", "expected an object");
    reject_unknown_keys(v, {"requests_per_second", "burst", "max_concurrent"}, at);
    sdk::Limits limits;
    if (v.contains("requests_per_second")) {
        const auto& r = v["requests_per_second"];
        if (!r.is_number() || r.get<double>() <= 0)
            fail(at, "requests_per_second", "expected a positive number");
        limits.requests_per_second = r.get<double>();
    }
    for (const char* key : {"burst", "max_concurrent"}) {
        if (!v.contains(key)) continue;
        const auto& n = v[key];
        if (!n.is_number_unsigned() || n.get<std::uint64_t>() == 0 ||
            n.get<std::uint64_t>() > 1'000'000) {
            fail(at, key, "expected a whole number from 1 to 1000000");
        }
        const auto value = static_cast<std::uint32_t>(n.get<std::uint64_t>());
        if (std::string(key) == "burst")
            limits.burst = value;
        else
            limits.max_concurrent = value;
    }
    return limits;
}

}  // namespace

const std::vector<std::string>& scope_keys() {
    static const std::vector<std::string> keys{"servers", "permissions", "limits"};
    return keys;
}

void reject_unknown_keys(const nlohmann::json& object, const std::vector<std::string>& known,
                         const std::string& where) {
    for (const auto& [key, value] : object.items()) {
        (void)value;
        if (std::find(known.begin(), known.end(), key) == known.end()) {
            throw std::invalid_argument(where + ": unknown key \"" + key + "\"");
        }
    }
}

Scope parse_scope(const nlohmann::json& rule, const std::string& where) {
    Scope scope;
    if (!rule.contains("servers"))
        fail(where, "servers", "missing (\"*\" or a list of server names)");
    scope.allowed_servers = parse_servers(rule["servers"], where);
    if (rule.contains("permissions"))
        scope.permission = parse_permissions(rule["permissions"], where);
    if (rule.contains("limits")) scope.limits = parse_limits(rule["limits"], where);
    return scope;
}

sdk::Identity make_identity(std::string name, std::string kind, const Scope& scope) {
    sdk::Identity id;
    id.name = std::move(name);
    id.kind = std::move(kind);
    id.allowed_servers = scope.allowed_servers;
    id.permission = scope.permission;
    id.limits = scope.limits;
    return id;
}

}  // namespace mcpproxy::auth_common
