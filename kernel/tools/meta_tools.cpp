#include "tools/meta_tools.hpp"

#include <cmath>

#include "tools/intent.hpp"
#include "tools/tool_names.hpp"

namespace mcpproxy::tools {
namespace {

using nlohmann::json;

constexpr std::size_t max_echoed_chars = 100;

const char* const retrieve_tools_description =
    "Search the tools of all connected MCP servers by keywords and get the best matches with their "
    "input schemas. Use it first whenever you need a capability that is not among your own tools. "
    "Each result has a \"name\" (\"server:tool\"), a description, an inputSchema and "
    "\"call_with\": "
    "the tool to call it through (call_tool_read, call_tool_write or call_tool_destructive), as "
    "{\"name\": \"<server:tool>\", \"args\": {<arguments matching inputSchema>}}.";

const char* const call_tool_read_description =
    "Call a read-only upstream tool: one that only looks data up and changes nothing (e.g. list "
    "repositories, get a forecast, search documents). Use it for tools whose retrieve_tools result "
    "says \"call_with\": \"call_tool_read\". Pass the tool's \"name\" exactly as retrieve_tools "
    "returned it (\"server:tool\") and its arguments in \"args\", following the tool's "
    "inputSchema. "
    "Tools that change or delete data are refused here, with an error naming the variant to use.";

const char* const call_tool_write_description =
    "Call an upstream tool that creates or changes data without destroying any (e.g. create an "
    "issue, send a message, update a record). Use it for tools whose retrieve_tools result says "
    "\"call_with\": \"call_tool_write\". Pass the tool's \"name\" exactly as retrieve_tools "
    "returned "
    "it (\"server:tool\") and its arguments in \"args\", following the tool's inputSchema. "
    "Destructive tools are refused here; use call_tool_destructive for them.";

const char* const call_tool_destructive_description =
    "Call an upstream tool that may delete, overwrite or otherwise irreversibly change data (e.g. "
    "delete a repository, drop a table, remove a file). Use it for tools whose retrieve_tools "
    "result "
    "says \"call_with\": \"call_tool_destructive\", and only when the user clearly wants that "
    "effect. "
    "Pass the tool's \"name\" exactly as retrieve_tools returned it (\"server:tool\") and its "
    "arguments in \"args\", following the tool's inputSchema.";

json call_tool_input_schema() {
    return {{"type", "object"},
            {"properties",
             {{"name",
               {{"type", "string"},
                {"description",
                 "The tool to call, as \"server:tool\" exactly as returned by retrieve_tools "
                 "(e.g. \"github:create_issue\")."}}},
              {"args",
               {{"type", "object"},
                {"description",
                 "The tool's arguments as a JSON object matching its inputSchema from "
                 "retrieve_tools; {} if it takes none."},
                {"additionalProperties", true}}}}},
            {"required", {"name"}}};
}

json retrieve_tools_output_schema() {
    const json call_variants = {call_tool_read_name, call_tool_write_name,
                                call_tool_destructive_name};
    const json item = {{"type", "object"},
                       {"properties",
                        {{"name", {{"type", "string"}}},
                         {"server", {{"type", "string"}}},
                         {"tool", {{"type", "string"}}},
                         {"description", {{"type", "string"}}},
                         {"inputSchema", {{"type", "object"}}},
                         {"annotations", {{"type", "object"}}},
                         {"call_with", {{"type", "string"}, {"enum", call_variants}}},
                         {"score", {{"type", "number"}}}}},
                       {"required",
                        {"name", "server", "tool", "description", "inputSchema", "annotations",
                         "call_with", "score"}}};
    return {{"type", "object"},
            {"properties", {{"tools", {{"type", "array"}, {"items", item}}}}},
            {"required", {"tools"}}};
}

std::string shorten(std::string_view text) {
    if (text.size() <= max_echoed_chars) return std::string{text};
    return std::string{text.substr(0, max_echoed_chars)} + "…";
}

bool is_blank(std::string_view text) {
    return text.find_first_not_of(" \t\r\n\f\v") == std::string_view::npos;
}

// An integer given as 10 or 10.0; nullopt for anything else.
std::optional<double> integral_number(const json& value) {
    if (!value.is_number()) return std::nullopt;
    const double number = value.get<double>();
    if (std::trunc(number) != number) return std::nullopt;
    return number;
}

json search_result_entry(const ToolDescriptor& tool, double score) {
    return {{"name", qualified_id(tool.server, tool.name)},
            {"server", tool.server},
            {"tool", tool.name},
            {"description", tool.description},
            {"inputSchema", tool.input_schema},
            {"annotations", tool.annotations.is_object() ? tool.annotations : json::object()},
            {"call_with", call_variant_for(required_permission(tool))},
            // Three decimals rank as well as seventeen and cost the model fewer tokens.
            {"score", std::round(score * 1000.0) / 1000.0}};
}

}  // namespace

json retrieve_tools_definition() {
    return {{"name", retrieve_tools_name},
            {"title", "Find tools"},
            {"description", retrieve_tools_description},
            {"inputSchema",
             {{"type", "object"},
              {"properties",
               {{"query",
                 {{"type", "string"},
                  {"description",
                   "Keywords for what you want to do, e.g. \"create github issue\" or "
                   "\"weather forecast for a city\"."}}},
                {"limit",
                 {{"type", "integer"},
                  {"minimum", 1},
                  {"maximum", retrieve_tools_max_limit},
                  {"default", retrieve_tools_default_limit},
                  {"description", "How many tools to return at most (1-50, default 10)."}}}}},
              {"required", {"query"}}}},
            {"outputSchema", retrieve_tools_output_schema()},
            {"annotations",
             {{"readOnlyHint", true}, {"idempotentHint", true}, {"openWorldHint", false}}}};
}

json call_tool_definition(sdk::Permission variant) {
    json definition = {{"name", call_variant_for(variant)},
                       {"inputSchema", call_tool_input_schema()}};
    switch (variant) {
        case sdk::Permission::read:
            definition["title"] = "Call a read-only tool";
            definition["description"] = call_tool_read_description;
            definition["annotations"] = {{"readOnlyHint", true}, {"openWorldHint", true}};
            break;
        case sdk::Permission::write:
            definition["title"] = "Call a tool that changes data";
            definition["description"] = call_tool_write_description;
            definition["annotations"] = {
                {"readOnlyHint", false}, {"destructiveHint", false}, {"openWorldHint", true}};
            break;
        case sdk::Permission::destructive:
            definition["title"] = "Call a destructive tool";
            definition["description"] = call_tool_destructive_description;
            definition["annotations"] = {
                {"readOnlyHint", false}, {"destructiveHint", true}, {"openWorldHint", true}};
            break;
    }
    return definition;
}

json meta_tools_list() {
    return json::array({retrieve_tools_definition(), call_tool_definition(sdk::Permission::read),
                        call_tool_definition(sdk::Permission::write),
                        call_tool_definition(sdk::Permission::destructive)});
}

bool is_meta_tool(std::string_view name) {
    return name == retrieve_tools_name || permission_for_call_variant(name).has_value();
}

std::variant<RetrieveToolsArgs, ArgumentError> parse_retrieve_tools_args(const json& arguments) {
    if (!arguments.is_null() && !arguments.is_object()) {
        return ArgumentError{
            "arguments must be a JSON object with \"query\" and optional \"limit\""};
    }
    const auto query = arguments.is_object() ? arguments.find("query") : arguments.end();
    if (!arguments.is_object() || query == arguments.end()) {
        return ArgumentError{"missing required argument \"query\": keywords for the tool you need"};
    }
    if (!query->is_string()) return ArgumentError{"argument \"query\" must be a string"};
    RetrieveToolsArgs parsed{query->get_ref<const std::string&>()};
    if (is_blank(parsed.query)) return ArgumentError{"argument \"query\" must not be blank"};

    const auto limit = arguments.find("limit");
    if (limit != arguments.end() && !limit->is_null()) {
        const auto number = integral_number(*limit);
        if (!number || *number < 1 || *number > static_cast<double>(retrieve_tools_max_limit)) {
            return ArgumentError{"argument \"limit\" must be an integer from 1 to " +
                                 std::to_string(retrieve_tools_max_limit)};
        }
        parsed.limit = static_cast<std::size_t>(*number);
    }
    return parsed;
}

json retrieve_tools_result(const Catalog& catalog, std::string_view query, std::size_t limit,
                           const ToolFilter& filter) {
    json tools = json::array();
    for (const SearchHit& hit : catalog.search(query, limit, filter)) {
        tools.push_back(search_result_entry(catalog.tools()[hit.tool_index], hit.score));
    }
    json structured = {{"tools", std::move(tools)}};
    // MCP asks for structured results to be repeated as text for clients that ignore them.
    json text = {{"type", "text"}, {"text", structured.dump()}};
    return {{"content", json::array({std::move(text)})},
            {"structuredContent", std::move(structured)}};
}

std::variant<CallToolArgs, ArgumentError> parse_call_tool_args(const json& arguments) {
    const std::string name_help =
        "the tool to call as \"server:tool\", as returned by retrieve_tools";
    if (!arguments.is_null() && !arguments.is_object()) {
        return ArgumentError{"arguments must be a JSON object with \"name\" and \"args\""};
    }
    const auto name = arguments.is_object() ? arguments.find("name") : arguments.end();
    if (!arguments.is_object() || name == arguments.end()) {
        return ArgumentError{"missing required argument \"name\": " + name_help};
    }
    if (!name->is_string())
        return ArgumentError{"argument \"name\" must be a string: " + name_help};

    const auto& name_text = name->get_ref<const std::string&>();
    const auto parts = split_qualified_id(name_text);
    if (!parts) {
        std::string message =
            "argument \"name\" must be \"server:tool\", as returned by "
            "retrieve_tools (got \"" +
            shorten(name_text) + "\")";
        if (const auto direct = split_direct_name(name_text)) {
            message +=
                "; did you mean \"" + shorten(qualified_id(direct->server, direct->tool)) + "\"?";
        }
        return ArgumentError{std::move(message)};
    }

    CallToolArgs parsed{std::string{parts->server}, std::string{parts->tool}, json::object()};
    const auto args = arguments.find("args");
    if (args != arguments.end() && !args->is_null()) {
        if (!args->is_object()) {
            return ArgumentError{std::string{"argument \"args\" must be a JSON object with the "
                                             "tool's arguments (got "} +
                                 args->type_name() + ")"};
        }
        parsed.args = *args;
    }
    return parsed;
}

std::variant<ResolvedCall, ArgumentError> resolve_call_tool(const Catalog& catalog,
                                                            sdk::Permission variant,
                                                            const json& arguments,
                                                            const ToolFilter& filter) {
    auto parsed = parse_call_tool_args(arguments);
    if (auto* error = std::get_if<ArgumentError>(&parsed)) return std::move(*error);
    auto& call = std::get<CallToolArgs>(parsed);

    const std::string id = qualified_id(call.server, call.tool);
    const auto target = catalog.find(call.server, call.tool);
    // A tool the caller may not see is reported exactly like one that does not exist.
    if (!target || (filter && !filter(*target->tool))) {
        return ArgumentError{"unknown tool \"" + shorten(id) +
                             "\"; use retrieve_tools to find the tools you can call"};
    }
    if (auto mismatch = intent_mismatch(variant, required_permission(*target->tool), id)) {
        return ArgumentError{std::move(*mismatch)};
    }
    return ResolvedCall{*target, std::move(call.args)};
}

}  // namespace mcpproxy::tools
