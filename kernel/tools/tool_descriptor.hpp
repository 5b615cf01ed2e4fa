#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace mcpproxy::tools {

// One upstream tool as the proxy sees it. The typed fields are normalised views for search and
// policy; `raw` is what the upstream sent, kept verbatim so listings lose nothing (icons, _meta,
// …).
struct ToolDescriptor {
    std::string server;
    std::string name;
    std::string title;             // `title`, else `annotations.title`, else empty
    std::string description;       // empty if the upstream gave none
    nlohmann::json input_schema;   // always an object; {"type":"object"} if the upstream gave none
    nlohmann::json output_schema;  // object, or null if none
    nlohmann::json annotations;    // object, or null if none
    nlohmann::json raw;            // the upstream's full tool object
};

// Builds a descriptor from one entry of an upstream's `tools/list` result.
// Throws std::invalid_argument naming the server and the problem when the entry is not an object,
// `name` is missing, not a string or empty, or inputSchema/outputSchema/annotations have the wrong
// type.
ToolDescriptor from_mcp_tool(std::string server, const nlohmann::json& tool);

}  // namespace mcpproxy::tools
