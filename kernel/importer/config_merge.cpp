#include "kernel/importer/config_merge.hpp"

namespace mcpproxy::importer {
namespace {

using Json = nlohmann::json;

// The fields that make two entries the same server (state flags aside).
Json identity(Json entry) {
    for (const auto* key : {"name", "enabled", "quarantined"}) entry.erase(key);
    return entry;
}

const Json* existing_entry(const Json& servers, const std::string& name) {
    if (servers.is_object()) {
        const auto it = servers.find(name);
        return it == servers.end() ? nullptr : &*it;
    }
    for (const auto& e : servers) {
        if (e.is_object() && e.value("name", std::string()) == name) return &e;
    }
    return nullptr;
}

std::string summary(const Json& entry) {
    std::string out;
    if (entry.contains("command")) {
        out = "stdio: " + entry["command"].get<std::string>();
        for (const auto& a : entry.value("args", Json::array())) out += " " + a.get<std::string>();
    } else {
        out = "http: " + entry["url"].get<std::string>();
    }
    for (const auto* field : {"env", "headers"}) {
        if (!entry.contains(field) || entry[field].empty()) continue;
        out += std::string("; ") + field + ":";
        for (const auto& [key, value] : entry[field].items()) out += " " + key + "=<redacted>";
    }
    if (!entry.value("enabled", true)) out += "; disabled";
    return out;
}

std::string secret_keys(const Json& entry) {
    std::string keys;
    for (const auto* field : {"env", "headers"}) {
        if (!entry.contains(field) || entry[field].empty()) continue;
        keys += std::string(keys.empty() ? "" : "; ") + field + ":";
        for (const auto& [key, value] : entry[field].items()) keys += " " + key;
    }
    return keys;
}

}  // namespace

MergePlan merge_servers(const Json& current, const ServerList& list, bool approve) {
    MergePlan plan;
    plan.document = current.is_object() ? current : Json::object();
    Json& servers = plan.document["mcpServers"];
    if (servers.is_null()) servers = Json::array();
    for (const auto& s : list.servers) {
        if (const auto* before = existing_entry(servers, s.name)) {
            if (identity(*before) == identity(s.entry)) {
                plan.unchanged.push_back(s.name);
                plan.diff += "  = " + s.name + "  already in the config\n";
            } else {
                plan.conflicts.push_back(s.name);
                plan.diff += "  ! " + s.name +
                             "  a different server of this name is in the config: not imported "
                             "(rename one of them)\n";
            }
            continue;
        }
        Json entry = s.entry;
        if (!approve) entry["quarantined"] = true;
        plan.added.push_back(s.name);
        plan.diff += "  + " + s.name + "  (" + summary(entry) + ")" +
                     (entry.value("quarantined", false) ? "  quarantined" : "") + "\n";
        if (const auto keys = secret_keys(entry); !keys.empty()) {
            plan.secret_holders.push_back(s.name + " (" + keys + ")");
        }
        if (servers.is_object()) {
            entry.erase("name");
            servers[s.name] = std::move(entry);
        } else {
            servers.push_back(std::move(entry));
        }
    }
    return plan;
}

}  // namespace mcpproxy::importer
