#include "kernel/importer/server_list_reader.hpp"

#include <set>
#include <stdexcept>

namespace mcpproxy::importer {
namespace {

using Json = nlohmann::json;

// Fields carried over (or deliberately folded into the transport choice).
const std::set<std::string>& mapped_fields() {
    static const std::set<std::string> fields{
        "name", "command",   "args",     "env",     "cwd",      "working_dir", "url",    "headers",
        "type", "transport", "protocol", "enabled", "disabled", "quarantined", "timeout"};
    return fields;
}

std::string as_string(const Json& v) {
    return v.is_string() ? v.get<std::string>() : v.dump();
}

// VS Code (${input:x}, ${env:X}, ${workspaceFolder}) and Claude Code (${VAR}, ${VAR:-default})
// expand variables that mcpproxy does not: the operator has to put the value in.
void note_variables(const std::string& where, const std::string& value, ImportedServer& s) {
    const auto start = value.find("${");
    if (start == std::string::npos) return;
    const auto end = value.find('}', start);
    s.notes.push_back(where + " holds the variable " + value.substr(start, end - start + 1) +
                      ", which mcpproxy does not expand: put the value in the config");
}

Json string_map(const Json& source, const std::string& field, ImportedServer& s) {
    Json out = Json::object();
    if (!source.is_object()) {
        s.notes.push_back("\"" + field + "\" is not an object: not imported");
        return out;
    }
    for (const auto& [key, value] : source.items()) {
        if (!value.is_string()) {
            s.notes.push_back(field + "." + key + " was " + std::string(value.type_name()) +
                              ", imported as the string " + value.dump());
        }
        out[key] = as_string(value);
        note_variables(field + "." + key, out[key].get<std::string>(), s);
    }
    return out;
}

}  // namespace

std::string convert_server(const std::string& source_name, const Json& in, ImportedServer& s) {
    if (!in.is_object()) return "not an object";
    s.original_name = source_name;
    s.name = safe_server_name(source_name);
    if (s.name != source_name) s.notes.push_back("renamed from \"" + source_name + "\"");
    Json& out = s.entry;
    out = Json::object();
    out["name"] = s.name;
    std::string kind;
    for (const auto* key : {"type", "transport", "protocol"}) {
        if (in.contains(key) && in[key].is_string()) kind = in[key].get<std::string>();
    }
    if (kind == "sse") return "uses the legacy SSE transport, which mcpproxy does not support";
    if (in.contains("command")) {
        if (!in["command"].is_string() || in["command"].get<std::string>().empty()) {
            return "\"command\" is not a non-empty string";
        }
        out["command"] = in["command"];
        if (in.contains("args")) {
            Json args = Json::array();
            if (in["args"].is_array()) {
                for (const auto& a : in["args"]) {
                    args.push_back(as_string(a));
                    note_variables("an argument", args.back().get<std::string>(), s);
                }
            } else {
                s.notes.push_back("\"args\" is not an array: not imported");
            }
            out["args"] = args;
        }
        if (in.contains("env")) out["env"] = string_map(in["env"], "env", s);
        for (const auto* key : {"cwd", "working_dir"}) {
            if (in.contains(key) && in[key].is_string()) out["working_dir"] = in[key];
        }
    } else if (in.contains("url")) {
        if (!in["url"].is_string()) return "\"url\" is not a string";
        const auto url = in["url"].get<std::string>();
        if (!url.starts_with("http://") && !url.starts_with("https://")) {
            return "\"url\" is not an http:// or https:// URL";
        }
        out["url"] = url;
        if (in.contains("headers")) out["headers"] = string_map(in["headers"], "headers", s);
    } else {
        return "has neither \"command\" nor \"url\"";
    }
    if (in.contains("disabled") && in["disabled"].is_boolean() && in["disabled"].get<bool>()) {
        out["enabled"] = false;
    }
    if (in.contains("enabled") && in["enabled"].is_boolean()) out["enabled"] = in["enabled"];
    if (in.contains("quarantined") && in["quarantined"].is_boolean()) {
        out["quarantined"] = in["quarantined"];
    }
    if (in.contains("timeout") && (in["timeout"].is_string() || in["timeout"].is_number())) {
        out["timeout"] = in["timeout"];
    }
    for (const auto& [key, value] : in.items()) {
        if (mapped_fields().contains(key)) continue;
        if (key == "envFile") {
            s.notes.push_back("\"envFile\" not imported: copy its variables into \"env\"");
        } else {
            s.notes.push_back("field \"" + key + "\" not imported (mcpproxy has no such setting)");
        }
    }
    return {};
}

namespace {

void add_entry(ServerList& list, std::set<std::string>& taken, const std::string& name,
               const Json& entry) {
    ImportedServer s;
    if (auto why = convert_server(name, entry, s); !why.empty()) {
        list.skipped.push_back(name + ": " + why);
        return;
    }
    // Two source names that map to one safe name: the later one gets a suffix.
    const std::string base = s.name;
    for (int n = 2; taken.contains(s.name); ++n) s.name = base + "-" + std::to_string(n);
    if (s.name != base)
        s.notes.push_back("renamed to \"" + s.name + "\": another server is called \"" + base +
                          "\"");
    s.entry["name"] = s.name;
    taken.insert(s.name);
    list.servers.push_back(std::move(s));
}

}  // namespace

std::string safe_server_name(const std::string& name) {
    std::string out;
    for (const char c : name) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                        (c >= '0' && c <= '9') || c == '_' || c == '-';
        out += ok ? c : '-';
    }
    for (auto pos = out.find("__"); pos != std::string::npos; pos = out.find("__"))
        out.replace(pos, 2, "_");
    while (!out.empty() && (out.front() == '-' || out.front() == '_')) out.erase(0, 1);
    return out.empty() ? "server" : out;
}

ServerList read_server_list(const nlohmann::json& document) {
    ServerList list;
    std::set<std::string> taken;
    if (!document.is_object()) throw std::invalid_argument("the file is not a JSON object");
    if (document.contains("mcpServers") && document["mcpServers"].is_object()) {
        list.format = "\"mcpServers\" object (Claude Desktop, Claude Code, Cursor)";
        for (const auto& [name, entry] : document["mcpServers"].items())
            add_entry(list, taken, name, entry);
    } else if (document.contains("mcpServers") && document["mcpServers"].is_array()) {
        list.format = "\"mcpServers\" array (mcpproxy mcp_config.json)";
        std::size_t i = 0;
        for (const auto& entry : document["mcpServers"]) {
            const auto name =
                entry.is_object() && entry.contains("name") && entry["name"].is_string()
                    ? entry["name"].get<std::string>()
                    : "mcpServers[" + std::to_string(i) + "]";
            add_entry(list, taken, name, entry);
            ++i;
        }
    } else if (document.contains("servers") && document["servers"].is_object()) {
        list.format = "\"servers\" object (VS Code mcp.json)";
        for (const auto& [name, entry] : document["servers"].items())
            add_entry(list, taken, name, entry);
        if (document.contains("inputs")) {
            list.skipped.push_back(
                "inputs: VS Code prompts for these values; mcpproxy cannot, so "
                "put them into the servers' env or headers");
        }
    } else {
        throw std::invalid_argument(
            "no server list found: expected \"mcpServers\" (Claude Desktop, Claude Code, Cursor, "
            "mcpproxy) or \"servers\" (VS Code)");
    }
    return list;
}

}  // namespace mcpproxy::importer
