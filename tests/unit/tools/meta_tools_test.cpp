#include "tools/meta_tools.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <variant>

#include "tool_fixtures.hpp"

namespace mcpproxy::tools {
namespace {

using nlohmann::json;
using sdk::Permission;
using ::testing::HasSubstr;
using testing::tool;

Catalog sample_catalog() {
    return Catalog({tool("github", "create_issue", "Create an issue", {{"title", "Issue title"}}),
                    tool("github", "delete_repo", "Delete a repository", {}, testing::destructive),
                    tool("github", "list_issues", "List issues", {}, testing::read_only),
                    tool("weather", "get_forecast", "Weather forecast", {}, testing::read_only)});
}

template <class T>
std::string error_of(const std::variant<T, ArgumentError>& result) {
    if (const auto* error = std::get_if<ArgumentError>(&result)) return error->message;
    return "(no error)";
}

TEST(MetaTools, ListsTheFourToolsInOrder) {
    const json list = meta_tools_list();
    ASSERT_EQ(list.size(), 4u);
    EXPECT_EQ(list[0]["name"], "retrieve_tools");
    EXPECT_EQ(list[1]["name"], "call_tool_read");
    EXPECT_EQ(list[2]["name"], "call_tool_write");
    EXPECT_EQ(list[3]["name"], "call_tool_destructive");
    for (const auto& definition : list) {
        EXPECT_TRUE(definition["description"].is_string());
        EXPECT_EQ(definition["inputSchema"]["type"], "object");
    }
}

TEST(MetaTools, RetrieveToolsDefinition) {
    const json definition = retrieve_tools_definition();
    EXPECT_EQ(definition["annotations"]["readOnlyHint"], true);
    EXPECT_EQ(definition["inputSchema"]["required"], json::array({"query"}));
    const json& limit = definition["inputSchema"]["properties"]["limit"];
    EXPECT_EQ(limit["type"], "integer");
    EXPECT_EQ(limit["minimum"], 1);
    EXPECT_EQ(limit["maximum"], 50);
    EXPECT_EQ(limit["default"], 10);
    EXPECT_EQ(definition["outputSchema"]["required"], json::array({"tools"}));
}

TEST(MetaTools, CallToolDefinitionsCarryTheirIntent) {
    const json read = call_tool_definition(Permission::read);
    const json write = call_tool_definition(Permission::write);
    const json destroy = call_tool_definition(Permission::destructive);
    EXPECT_EQ(read["annotations"]["readOnlyHint"], true);
    EXPECT_EQ(write["annotations"]["readOnlyHint"], false);
    EXPECT_EQ(write["annotations"]["destructiveHint"], false);
    EXPECT_EQ(destroy["annotations"]["destructiveHint"], true);
    for (const auto& [definition, variant] : {std::pair{read, "call_tool_read"},
                                              {write, "call_tool_write"},
                                              {destroy, "call_tool_destructive"}}) {
        EXPECT_EQ(definition["inputSchema"]["required"], json::array({"name"}));
        EXPECT_EQ(definition["inputSchema"]["properties"]["args"]["type"], "object");
        // The description tells the model which retrieve_tools results belong to this variant.
        EXPECT_THAT(definition["description"].get<std::string>(),
                    HasSubstr(std::string{"\"call_with\": \""} + variant + "\""));
    }
}

TEST(MetaTools, RecognisesMetaToolNames) {
    for (const char* name :
         {"retrieve_tools", "call_tool_read", "call_tool_write", "call_tool_destructive"}) {
        EXPECT_TRUE(is_meta_tool(name)) << name;
    }
    EXPECT_FALSE(is_meta_tool("call_tool"));
    EXPECT_FALSE(is_meta_tool("github__create_issue"));
}

TEST(MetaTools, ParsesRetrieveToolsArguments) {
    const auto defaults = parse_retrieve_tools_args({{"query", "weather"}});
    ASSERT_TRUE(std::holds_alternative<RetrieveToolsArgs>(defaults));
    EXPECT_EQ(std::get<RetrieveToolsArgs>(defaults).query, "weather");
    EXPECT_EQ(std::get<RetrieveToolsArgs>(defaults).limit, 10u);

    const auto five = parse_retrieve_tools_args({{"query", "weather"}, {"limit", 5.0}});
    ASSERT_TRUE(std::holds_alternative<RetrieveToolsArgs>(five));
    EXPECT_EQ(std::get<RetrieveToolsArgs>(five).limit, 5u);
}

TEST(MetaTools, RejectsBadRetrieveToolsArguments) {
    EXPECT_THAT(error_of(parse_retrieve_tools_args(nullptr)),
                HasSubstr("missing required argument \"query\""));
    EXPECT_THAT(error_of(parse_retrieve_tools_args(json::object())),
                HasSubstr("missing required argument \"query\""));
    EXPECT_THAT(error_of(parse_retrieve_tools_args("weather")), HasSubstr("must be a JSON object"));
    EXPECT_THAT(error_of(parse_retrieve_tools_args({{"query", 3}})),
                HasSubstr("\"query\" must be a string"));
    EXPECT_THAT(error_of(parse_retrieve_tools_args({{"query", " \n"}})),
                HasSubstr("must not be blank"));
    for (const json& limit : {json(0), json(51), json(2.5), json("10"), json(-1)}) {
        EXPECT_THAT(error_of(parse_retrieve_tools_args({{"query", "x"}, {"limit", limit}})),
                    HasSubstr("\"limit\" must be an integer from 1 to 50"))
            << limit.dump();
    }
}

TEST(MetaTools, RetrieveToolsResult) {
    const Catalog catalog = sample_catalog();

    const json result = retrieve_tools_result(catalog, "issue", 10);

    const json& tools = result["structuredContent"]["tools"];
    ASSERT_EQ(tools.size(), 2u);
    std::map<std::string, json> by_name;
    for (const auto& entry : tools) by_name[entry["name"].get<std::string>()] = entry;
    ASSERT_TRUE(by_name.contains("github:create_issue"));
    const json& create = by_name["github:create_issue"];
    EXPECT_EQ(create["server"], "github");
    EXPECT_EQ(create["tool"], "create_issue");
    EXPECT_EQ(create["description"], "Create an issue");
    EXPECT_EQ(create["inputSchema"], catalog.tools()[0].input_schema);
    EXPECT_EQ(create["annotations"], json::object());
    EXPECT_EQ(create["call_with"], "call_tool_write");
    EXPECT_EQ(by_name["github:list_issues"]["call_with"], "call_tool_read");
    EXPECT_EQ(by_name["github:list_issues"]["annotations"], testing::read_only);
    EXPECT_GE(tools[0]["score"].get<double>(), tools[1]["score"].get<double>());
    EXPECT_GT(tools[1]["score"].get<double>(), 0.0);

    ASSERT_EQ(result["content"].size(), 1u);
    EXPECT_EQ(result["content"][0]["type"], "text");
    EXPECT_EQ(json::parse(result["content"][0]["text"].get<std::string>()),
              result["structuredContent"]);
}

TEST(MetaTools, RetrieveToolsResultNamesTheDestructiveVariant) {
    const json result = retrieve_tools_result(sample_catalog(), "delete repository", 1);
    const json& tools = result["structuredContent"]["tools"];
    ASSERT_EQ(tools.size(), 1u);
    EXPECT_EQ(tools[0]["name"], "github:delete_repo");
    EXPECT_EQ(tools[0]["call_with"], "call_tool_destructive");
}

TEST(MetaTools, RetrieveToolsResultAppliesFilterAndLimit) {
    const Catalog catalog = sample_catalog();
    const ToolFilter weather_only = [](const ToolDescriptor& t) { return t.server == "weather"; };
    EXPECT_TRUE(
        retrieve_tools_result(catalog, "issue", 10, weather_only)["structuredContent"]["tools"]
            .empty());
    EXPECT_EQ(retrieve_tools_result(catalog, "issue", 1)["structuredContent"]["tools"].size(), 1u);
    EXPECT_EQ(retrieve_tools_result(catalog, "no such thing", 10)["structuredContent"],
              json({{"tools", json::array()}}));
}

TEST(MetaTools, ParsesCallToolArguments) {
    const json args = {{"title", "Bug"}, {"labels", {"a", "b"}}};
    const auto parsed = parse_call_tool_args({{"name", "github:create_issue"}, {"args", args}});
    ASSERT_TRUE(std::holds_alternative<CallToolArgs>(parsed));
    EXPECT_EQ(std::get<CallToolArgs>(parsed).server, "github");
    EXPECT_EQ(std::get<CallToolArgs>(parsed).tool, "create_issue");
    EXPECT_EQ(std::get<CallToolArgs>(parsed).args, args);
}

TEST(MetaTools, MissingOrNullArgsMeanNoArguments) {
    for (const json& arguments :
         {json{{"name", "s:t"}}, json{{"name", "s:t"}, {"args", nullptr}}}) {
        const auto parsed = parse_call_tool_args(arguments);
        ASSERT_TRUE(std::holds_alternative<CallToolArgs>(parsed)) << arguments.dump();
        EXPECT_EQ(std::get<CallToolArgs>(parsed).args, json::object());
    }
}

TEST(MetaTools, RejectsBadCallToolArguments) {
    EXPECT_THAT(error_of(parse_call_tool_args(nullptr)),
                HasSubstr("missing required argument \"name\""));
    EXPECT_THAT(error_of(parse_call_tool_args({{"args", json::object()}})),
                HasSubstr("missing required argument \"name\""));
    EXPECT_THAT(error_of(parse_call_tool_args(json::array())),
                HasSubstr("arguments must be a JSON object"));
    EXPECT_THAT(error_of(parse_call_tool_args({{"name", 42}})),
                HasSubstr("\"name\" must be a string"));
    EXPECT_THAT(
        error_of(parse_call_tool_args({{"name", "create_issue"}})),
        HasSubstr("must be \"server:tool\", as returned by retrieve_tools (got \"create_issue\")"));
    EXPECT_THAT(error_of(parse_call_tool_args({{"name", ":create_issue"}})),
                HasSubstr("\"server:tool\""));
    EXPECT_THAT(error_of(parse_call_tool_args({{"name", "github:"}})),
                HasSubstr("\"server:tool\""));
    EXPECT_THAT(error_of(parse_call_tool_args({{"name", "bad server:x"}})),
                HasSubstr("\"server:tool\""));
    EXPECT_THAT(error_of(parse_call_tool_args({{"name", "github__create_issue"}})),
                HasSubstr("did you mean \"github:create_issue\"?"));
    EXPECT_THAT(error_of(parse_call_tool_args({{"name", "s:t"}, {"args", "{\"a\":1}"}})),
                HasSubstr("\"args\" must be a JSON object with the tool's arguments (got string)"));
    EXPECT_THAT(error_of(parse_call_tool_args({{"name", "s:t"}, {"args", json::array()}})),
                HasSubstr("(got array)"));
}

TEST(MetaTools, EchoedNamesAreShortened) {
    const std::string long_name(5000, 'x');
    const std::string error = error_of(parse_call_tool_args({{"name", long_name}}));
    EXPECT_LT(error.size(), 300u);
}

TEST(MetaTools, ResolvesACall) {
    const Catalog catalog = sample_catalog();
    const auto resolved =
        resolve_call_tool(catalog, Permission::write,
                          {{"name", "github:create_issue"}, {"args", {{"title", "Bug"}}}});
    ASSERT_TRUE(std::holds_alternative<ResolvedCall>(resolved)) << error_of(resolved);
    EXPECT_EQ(std::get<ResolvedCall>(resolved).target.index, 0u);
    EXPECT_EQ(std::get<ResolvedCall>(resolved).args, json({{"title", "Bug"}}));
}

TEST(MetaTools, RefusesAnIntentBelowTheTools) {
    const Catalog catalog = sample_catalog();
    EXPECT_THAT(
        error_of(resolve_call_tool(catalog, Permission::read, {{"name", "github:create_issue"}})),
        HasSubstr("call it with call_tool_write"));
    EXPECT_THAT(
        error_of(resolve_call_tool(catalog, Permission::write, {{"name", "github:delete_repo"}})),
        HasSubstr("call it with call_tool_destructive"));
    // Declaring more intent than needed is allowed: permissions are cumulative.
    EXPECT_TRUE(std::holds_alternative<ResolvedCall>(
        resolve_call_tool(catalog, Permission::destructive, {{"name", "weather:get_forecast"}})));
}

TEST(MetaTools, HiddenToolsLookUnknown) {
    const Catalog catalog = sample_catalog();
    const ToolFilter no_github = [](const ToolDescriptor& t) { return t.server != "github"; };
    const std::string hidden = error_of(resolve_call_tool(
        catalog, Permission::destructive, {{"name", "github:delete_repo"}}, no_github));
    const std::string missing = error_of(
        resolve_call_tool(catalog, Permission::destructive, {{"name", "github:nope"}}, no_github));
    EXPECT_THAT(hidden, HasSubstr("unknown tool \"github:delete_repo\"; use retrieve_tools"));
    EXPECT_THAT(missing, HasSubstr("unknown tool \"github:nope\""));
    EXPECT_THAT(error_of(resolve_call_tool(catalog, Permission::read, {{"name", 1}})),
                HasSubstr("\"name\" must be a string"));
}

}  // namespace
}  // namespace mcpproxy::tools
