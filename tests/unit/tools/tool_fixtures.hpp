#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "tools/tool_descriptor.hpp"

namespace mcpproxy::tools::testing {

struct Parameter {
    std::string name;
    std::string description;  // empty: the property has no description
};

// An upstream tools/list entry with the given fields; annotations are left out when null.
inline nlohmann::json mcp_tool(const std::string& name, const std::string& description,
                               const std::vector<Parameter>& parameters = {},
                               const nlohmann::json& annotations = nullptr) {
    nlohmann::json properties = nlohmann::json::object();
    for (const auto& parameter : parameters) {
        nlohmann::json schema = {{"type", "string"}};
        if (!parameter.description.empty()) schema["description"] = parameter.description;
        properties[parameter.name] = schema;
    }
    nlohmann::json tool = {{"name", name},
                           {"description", description},
                           {"inputSchema", {{"type", "object"}, {"properties", properties}}}};
    if (!annotations.is_null()) tool["annotations"] = annotations;
    return tool;
}

inline ToolDescriptor tool(const std::string& server, const std::string& name,
                           const std::string& description,
                           const std::vector<Parameter>& parameters = {},
                           const nlohmann::json& annotations = nullptr) {
    return from_mcp_tool(server, mcp_tool(name, description, parameters, annotations));
}

inline const nlohmann::json read_only = {{"readOnlyHint", true}};
inline const nlohmann::json destructive = {{"destructiveHint", true}};

}  // namespace mcpproxy::tools::testing
