#include "tools/catalog.hpp"

#include <map>
#include <stdexcept>
#include <utility>

#include "tools/tool_names.hpp"

namespace mcpproxy::tools {
namespace {

// A descriptor built by hand may carry no upstream object; list what its typed fields say.
nlohmann::json entry_from_fields(const ToolDescriptor& tool) {
    nlohmann::json entry = nlohmann::json::object();
    if (!tool.title.empty()) entry["title"] = tool.title;
    if (!tool.description.empty()) entry["description"] = tool.description;
    if (tool.output_schema.is_object()) entry["outputSchema"] = tool.output_schema;
    if (tool.annotations.is_object()) entry["annotations"] = tool.annotations;
    return entry;
}

nlohmann::json direct_entry(const ToolDescriptor& tool, const std::string& public_name) {
    nlohmann::json entry = tool.raw.is_object() ? tool.raw : entry_from_fields(tool);
    entry["name"] = public_name;
    if (!entry.contains("inputSchema")) {
        entry["inputSchema"] =
            tool.input_schema.is_object() ? tool.input_schema : nlohmann::json{{"type", "object"}};
    }
    return entry;
}

}  // namespace

std::size_t Catalog::ToolKeyHash::operator()(const ToolKey& key) const noexcept {
    const std::size_t server = std::hash<std::string_view>{}(key.server);
    const std::size_t tool = std::hash<std::string_view>{}(key.tool);
    return server ^ (tool + 0x9e3779b97f4a7c15ULL + (server << 6) + (server >> 2));
}

Catalog::Catalog(std::vector<ToolDescriptor> tools, DirectNames naming)
    : tools_(std::move(tools)), naming_(naming) {
    by_key_.reserve(tools_.size());
    by_direct_name_.reserve(tools_.size());
    direct_entries_.reserve(tools_.size());
    direct_names_.reserve(tools_.size());
    // How many servers offer each tool name (a server lists a name once, checked below).
    std::map<std::string_view, std::size_t> servers_per_name;
    if (naming_ == DirectNames::bare) {
        for (const auto& tool : tools_) ++servers_per_name[tool.name];
        for (const auto& [name, count] : servers_per_name) {
            if (count > 1) shared_tool_names_.emplace_back(name);
        }
    }
    for (std::size_t i = 0; i < tools_.size(); ++i) {
        const ToolDescriptor& tool = tools_[i];
        if (!is_valid_server_name(tool.server)) {
            throw std::invalid_argument(
                "invalid server name \"" + tool.server +
                "\": must match ^[A-Za-z0-9][A-Za-z0-9_-]*$ without \"__\"");
        }
        if (!by_key_.emplace(ToolKey{tool.server, tool.name}, i).second) {
            throw std::invalid_argument("duplicate tool \"" + tool.name + "\" from server \"" +
                                        tool.server + "\"");
        }
        const bool bare = naming_ == DirectNames::bare && servers_per_name[tool.name] == 1;
        std::string public_name = bare ? tool.name : direct_name(tool.server, tool.name);
        direct_names_.push_back(public_name);
        if (by_direct_name_.contains(public_name)) {
            direct_entries_.emplace_back(nullptr);
            direct_name_collisions_.push_back(std::move(public_name));
            continue;
        }
        direct_entries_.push_back(direct_entry(tool, public_name));
        by_direct_name_.emplace(std::move(public_name), i);
    }
    index_ = Bm25Index(tools_);
}

std::shared_ptr<const Catalog> Catalog::make(std::vector<ToolDescriptor> tools,
                                             DirectNames naming) {
    return std::make_shared<const Catalog>(std::move(tools), naming);
}

std::optional<ToolRef> Catalog::find(std::string_view server, std::string_view tool) const {
    const auto it = by_key_.find(ToolKey{server, tool});
    if (it == by_key_.end()) return std::nullopt;
    return ToolRef{it->second, &tools_[it->second]};
}

std::optional<ToolRef> Catalog::resolve_direct(std::string_view public_name) const {
    // The map, not split_direct_name(), so that every listed name resolves even for servers whose
    // name ends in '_'.
    const auto it = by_direct_name_.find(public_name);
    if (it != by_direct_name_.end()) return ToolRef{it->second, &tools_[it->second]};
    if (naming_ != DirectNames::bare) return std::nullopt;
    // A client that still uses the prefixed form of a tool listed under its own name.
    const auto parts = split_direct_name(public_name);
    if (!parts) return std::nullopt;
    return find(parts->server, parts->tool);
}

std::optional<ToolRef> Catalog::resolve_qualified(std::string_view id) const {
    const auto parts = split_qualified_id(id);
    if (!parts) return std::nullopt;
    return find(parts->server, parts->tool);
}

std::vector<SearchHit> Catalog::search(std::string_view query, std::size_t limit,
                                       const ToolFilter& filter) const {
    if (!filter) return index_.search(query, limit);
    return index_.search(query, limit, [&](std::size_t i) { return filter(tools_[i]); });
}

nlohmann::json Catalog::direct_tools_list(const ToolFilter& filter) const {
    nlohmann::json list = nlohmann::json::array();
    for (std::size_t i = 0; i < tools_.size(); ++i) {
        if (direct_entries_[i].is_null()) continue;
        if (filter && !filter(tools_[i])) continue;
        list.push_back(direct_entries_[i]);
    }
    return list;
}

}  // namespace mcpproxy::tools
