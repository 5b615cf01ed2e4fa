#include "tools/tool_descriptor.hpp"

#include <stdexcept>
#include <utility>

namespace mcpproxy::tools {
namespace {

[[noreturn]] void reject(const std::string& server, const std::string& tool,
                         const std::string& what) {
    std::string message = "invalid tool from upstream \"" + server + "\"";
    if (!tool.empty()) message += " (tool \"" + tool + "\")";
    throw std::invalid_argument(message + ": " + what);
}

std::string string_or_empty(const nlohmann::json& object, const char* key) {
    const auto it = object.find(key);
    return it != object.end() && it->is_string() ? it->get_ref<const std::string&>()
                                                 : std::string{};
}

// Returns the member if it is an object, null if absent or null, and rejects anything else.
nlohmann::json optional_object(const nlohmann::json& tool, const char* key,
                               const std::string& server, const std::string& name) {
    const auto it = tool.find(key);
    if (it == tool.end() || it->is_null()) return nullptr;
    if (!it->is_object()) reject(server, name, std::string{"\""} + key + "\" must be an object");
    return *it;
}

}  // namespace

ToolDescriptor from_mcp_tool(std::string server, const nlohmann::json& tool) {
    if (!tool.is_object()) reject(server, "", "a tool must be a JSON object");
    // contains() + at() rather than find(): GCC 12's -Wnull-dereference misfires on a json
    // iterator's operator-> at -O3.
    if (!tool.contains("name")) reject(server, "", "missing required field \"name\"");
    const nlohmann::json& name = tool.at("name");
    if (!name.is_string()) reject(server, "", "field \"name\" must be a string");

    ToolDescriptor descriptor;
    descriptor.name = name.get_ref<const std::string&>();
    if (descriptor.name.empty()) reject(server, "", "field \"name\" must not be empty");

    descriptor.input_schema = optional_object(tool, "inputSchema", server, descriptor.name);
    if (descriptor.input_schema.is_null()) descriptor.input_schema = {{"type", "object"}};
    descriptor.output_schema = optional_object(tool, "outputSchema", server, descriptor.name);
    descriptor.annotations = optional_object(tool, "annotations", server, descriptor.name);

    descriptor.title = string_or_empty(tool, "title");
    if (descriptor.title.empty() && descriptor.annotations.is_object()) {
        descriptor.title = string_or_empty(descriptor.annotations, "title");
    }
    descriptor.description = string_or_empty(tool, "description");
    descriptor.raw = tool;
    descriptor.server = std::move(server);
    return descriptor;
}

}  // namespace mcpproxy::tools
