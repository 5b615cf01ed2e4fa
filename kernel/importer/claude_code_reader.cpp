#include "kernel/importer/claude_code_reader.hpp"

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <stdexcept>

namespace mcpproxy::importer {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

// Where a server came from, in words, and the project folder it belongs to (empty: user scope).
struct Origin {
    std::string where;
    std::string project;
};

class Collector {
public:
    explicit Collector(ServerList& list) : list_(list) {}

    void add_all(const Json& servers, const Origin& origin, const std::set<std::string>& declined) {
        if (!servers.is_object()) return;
        for (const auto& [name, entry] : servers.items()) {
            if (declined.contains(name)) {
                list_.skipped.push_back(name + " (" + origin.where +
                                        "): declined for this project in Claude Code "
                                        "(disabledMcpjsonServers)");
                continue;
            }
            add(name, entry, origin);
        }
    }

private:
    void add(const std::string& name, const Json& entry, const Origin& origin) {
        ImportedServer s;
        if (auto why = convert_server(name, entry, s); !why.empty()) {
            list_.skipped.push_back(name + " (" + origin.where + "): " + why);
            return;
        }
        if (!origin.project.empty()) s.notes.push_back("from " + origin.where);
        for (auto& other : list_.servers) {
            if (other.original_name == s.original_name && same_server(other.entry, s.entry)) {
                other.notes.push_back("also defined, identically, in " + origin.where);
                return;
            }
        }
        if (const auto at = index_.find(s.name); at != index_.end()) {
            const ImportedServer& other = list_.servers[at->second];
            const std::string base =
                origin.project.empty()
                    ? s.name
                    : s.name + "-" + safe_server_name(fs::path(origin.project).filename().string());
            std::string name_here = base;
            for (int n = 2; index_.contains(name_here); ++n)
                name_here = base + "-" + std::to_string(n);
            s.notes.push_back("renamed from \"" + s.name +
                              "\": that name belongs to a different server (" + origin_of(other) +
                              ")");
            s.name = name_here;
            s.entry["name"] = s.name;
        }
        index_[s.name] = list_.servers.size();
        origins_[s.name] = origin.where;
        list_.servers.push_back(std::move(s));
    }

    static bool same_server(Json a, Json b) {
        a.erase("name");
        b.erase("name");
        return a == b;
    }

    std::string origin_of(const ImportedServer& s) const {
        const auto at = origins_.find(s.name);
        return at == origins_.end() ? "user scope" : at->second;
    }

    ServerList& list_;
    std::map<std::string, std::size_t> index_;
    std::map<std::string, std::string> origins_;
};

// The parsed file; nullopt when there is none, or (with a line in `skipped`) when it cannot be
// read, e.g. another user's project.
std::optional<Json> read_mcp_json(const fs::path& file, std::vector<std::string>& skipped) {
    std::error_code ec;
    if (!fs::is_regular_file(file, ec)) return std::nullopt;
    std::ifstream in(file, std::ios::binary);
    if (!in) {
        skipped.push_back(file.string() + ": cannot be read");
        return std::nullopt;
    }
    std::stringstream text;
    text << in.rdbuf();
    try {
        return Json::parse(text.str(), nullptr, true, true);
    } catch (const Json::parse_error& e) {
        throw std::runtime_error(file.string() + ": not valid JSON (" + e.what() + ")");
    }
}

std::set<std::string> string_set(const Json& project, const char* key) {
    std::set<std::string> out;
    if (!project.is_object() || !project.contains(key) || !project[key].is_array()) return out;
    for (const auto& v : project[key]) {
        if (v.is_string()) out.insert(v.get<std::string>());
    }
    return out;
}

std::size_t count_servers(const Json& holder) {
    if (!holder.is_object() || !holder.contains("mcpServers")) return 0;
    return holder["mcpServers"].is_object() ? holder["mcpServers"].size() : 0;
}

std::string servers_word(std::size_t n) {
    return std::to_string(n) + (n == 1 ? " server" : " servers");
}

}  // namespace

bool is_claude_code_user_file(const Json& document) {
    return document.is_object() && document.contains("projects") &&
           document["projects"].is_object();
}

ServerList read_claude_code(const std::optional<Json>& claude_json,
                            const fs::path& claude_json_path, const std::optional<fs::path>& cwd) {
    ServerList list;
    list.format = "Claude Code (user, local and project scopes)";
    Collector collector(list);

    const Json no_projects = Json::object();
    const Json& projects = claude_json && is_claude_code_user_file(*claude_json)
                               ? (*claude_json)["projects"]
                               : no_projects;
    if (claude_json) {
        std::size_t local = 0;
        std::size_t with_servers = 0;
        for (const auto& [path, project] : projects.items()) {
            if (count_servers(project) == 0) continue;
            local += count_servers(project);
            ++with_servers;
        }
        list.sources.push_back(
            claude_json_path.string() + ": " + servers_word(count_servers(*claude_json)) +
            " in user scope, " + servers_word(local) + " in the local scope of " +
            std::to_string(with_servers) + " of " + std::to_string(projects.size()) + " projects");
        if (claude_json->contains("mcpServers")) {
            collector.add_all((*claude_json)["mcpServers"], {"user scope", ""}, {});
        }
    }

    // The project in cwd first, then the others by path.
    std::vector<std::string> order;
    const std::string here = cwd ? cwd->lexically_normal().string() : std::string();
    if (!here.empty()) order.push_back(here);
    std::vector<std::string> others;
    for (const auto& [path, project] : projects.items()) {
        if (path != here) others.push_back(path);
    }
    std::sort(others.begin(), others.end());
    order.insert(order.end(), others.begin(), others.end());

    for (const auto& path : order) {
        const Json* project = projects.contains(path) ? &projects[path] : nullptr;
        if (project != nullptr && project->is_object() && project->contains("mcpServers")) {
            collector.add_all((*project)["mcpServers"],
                              {"project " + path + " (local scope, ~/.claude.json)", path}, {});
        }
        const fs::path file = fs::path(path) / ".mcp.json";
        const auto document = read_mcp_json(file, list.skipped);
        if (!document) continue;
        list.sources.push_back(file.string() + ": " + servers_word(count_servers(*document)) +
                               " in project scope");
        if (!document->is_object() || !document->contains("mcpServers")) continue;
        const auto declined = project != nullptr ? string_set(*project, "disabledMcpjsonServers")
                                                 : std::set<std::string>();
        collector.add_all((*document)["mcpServers"],
                          {"project " + path + " (project scope, .mcp.json)", path}, declined);
    }
    return list;
}

}  // namespace mcpproxy::importer
