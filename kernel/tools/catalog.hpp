#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "tools/bm25_index.hpp"
#include "tools/tool_descriptor.hpp"

namespace mcpproxy::tools {

// Decides whether the caller may see a tool (the policy engine supplies it). An empty function
// shows everything.
using ToolFilter = std::function<bool(const ToolDescriptor&)>;

// How direct mode names tools: always "<server>__<tool>", or the upstream's own name with the
// prefix only for names that more than one server uses.
enum class DirectNames { prefixed, bare };

// A tool found in a catalog. `tool` points into the catalog and lives as long as the catalog does.
struct ToolRef {
    std::size_t index;  // position in Catalog::tools()
    const ToolDescriptor* tool;
};

// An immutable snapshot of every upstream's tools: lookup by (server, tool), direct-mode names and
// BM25 search. Build a new one when any upstream's list changes and share it as
// std::shared_ptr<const Catalog>; all queries are const and safe from many threads at once.
class Catalog {
public:
    // Throws std::invalid_argument for a server name that does not match
    // ^[A-Za-z0-9][A-Za-z0-9_-]*$ (or contains "__"), and for the same (server, tool) twice: the
    // caller (the upstream manager) drops or reports such tools before building a catalog.
    explicit Catalog(std::vector<ToolDescriptor> tools, DirectNames naming = DirectNames::prefixed);
    static std::shared_ptr<const Catalog> make(std::vector<ToolDescriptor> tools,
                                               DirectNames naming = DirectNames::prefixed);

    // Views into the tool list make copies unsafe; share the catalog instead.
    Catalog(const Catalog&) = delete;
    Catalog& operator=(const Catalog&) = delete;

    const std::vector<ToolDescriptor>& tools() const { return tools_; }
    std::size_t size() const { return tools_.size(); }

    std::optional<ToolRef> find(std::string_view server, std::string_view tool) const;
    // A name as listed by direct_tools_list(); with bare names, "<server>__<tool>" resolves too.
    std::optional<ToolRef> resolve_direct(std::string_view public_name) const;
    // The name direct_tools_list() gives the tool at `index`.
    const std::string& direct_name_of(std::size_t index) const { return direct_names_[index]; }
    // "<server>:<tool>" as returned by retrieve_tools.
    std::optional<ToolRef> resolve_qualified(std::string_view id) const;

    const Bm25Index& index() const { return index_; }
    // BM25 search over the tools the filter lets through; hidden tools never take a result slot.
    std::vector<SearchHit> search(std::string_view query, std::size_t limit,
                                  const ToolFilter& filter = {}) const;

    // The MCP tools/list `tools` array for direct mode: each visible tool's upstream object,
    // unchanged except that `name` is its direct name (and inputSchema is supplied if the
    // upstream left it out). Tool order is catalog order.
    nlohmann::json direct_tools_list(const ToolFilter& filter = {}) const;

    // Direct names that two tools would share (possible only when a server name ends in '_',
    // e.g. "a_" + "x" and "a" + "_x" both give "a___x"). Such names resolve to the first tool
    // and only that tool is listed; the caller should log these.
    const std::vector<std::string>& direct_name_collisions() const {
        return direct_name_collisions_;
    }
    // With bare names: the tool names more than one server offers, which are therefore listed
    // as "<server>__<tool>" (sorted, each once). Empty with prefixed names.
    const std::vector<std::string>& shared_tool_names() const { return shared_tool_names_; }

private:
    struct ToolKey {
        std::string_view server;
        std::string_view tool;
        bool operator==(const ToolKey&) const = default;
    };
    struct ToolKeyHash {
        std::size_t operator()(const ToolKey& key) const noexcept;
    };
    struct StringHash {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const noexcept {
            return std::hash<std::string_view>{}(s);
        }
    };

    std::vector<ToolDescriptor> tools_;
    // Keys view strings inside tools_, which never changes after construction.
    std::unordered_map<ToolKey, std::size_t, ToolKeyHash> by_key_;
    std::unordered_map<std::string, std::size_t, StringHash, std::equal_to<>> by_direct_name_;
    std::vector<nlohmann::json> direct_entries_;  // per tool; null when its direct name collided
    std::vector<std::string> direct_names_;       // per tool
    std::vector<std::string> direct_name_collisions_;
    std::vector<std::string> shared_tool_names_;
    DirectNames naming_;
    Bm25Index index_;
};

}  // namespace mcpproxy::tools
