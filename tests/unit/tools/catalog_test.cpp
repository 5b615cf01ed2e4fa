#include "tools/catalog.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <stdexcept>

#include "tool_fixtures.hpp"

namespace mcpproxy::tools {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;
using testing::tool;

std::vector<ToolDescriptor> sample_tools() {
    return {
        tool("github", "create_issue", "Create an issue in a repository", {{"repo", ""}}),
        tool("github", "delete_repo", "Delete a repository", {{"repo", ""}}, testing::destructive),
        tool("weather", "get_forecast", "Weather forecast", {{"city", ""}}, testing::read_only),
        tool("gitlab", "create_issue", "Create an issue in a GitLab project")};
}

std::vector<std::string> names(const json& list) {
    std::vector<std::string> result;
    for (const auto& entry : list) result.push_back(entry.at("name").get<std::string>());
    return result;
}

TEST(Catalog, FindsToolsByServerAndName) {
    const Catalog catalog(sample_tools());

    const auto github = catalog.find("github", "create_issue");
    const auto gitlab = catalog.find("gitlab", "create_issue");
    ASSERT_TRUE(github && gitlab);
    EXPECT_EQ(github->index, 0u);
    EXPECT_EQ(github->tool->server, "github");
    EXPECT_EQ(gitlab->index, 3u);
    EXPECT_EQ(gitlab->tool->server, "gitlab");
    EXPECT_FALSE(catalog.find("github", "get_forecast"));
    EXPECT_FALSE(catalog.find("nope", "create_issue"));
}

TEST(Catalog, DirectNamesRoundTrip) {
    const Catalog catalog(sample_tools());
    const json list = catalog.direct_tools_list();
    ASSERT_EQ(list.size(), catalog.size());
    for (std::size_t i = 0; i < catalog.size(); ++i) {
        const auto name = list[i].at("name").get<std::string>();
        EXPECT_EQ(name, catalog.tools()[i].server + "__" + catalog.tools()[i].name);
        const auto resolved = catalog.resolve_direct(name);
        ASSERT_TRUE(resolved) << name;
        EXPECT_EQ(resolved->index, i);
    }
}

TEST(Catalog, InvalidOrUnknownDirectNamesDoNotResolve) {
    const Catalog catalog(sample_tools());
    for (const char* name :
         {"", "create_issue", "github_create_issue", "github:create_issue", "github__",
          "__create_issue", "nope__create_issue", "github__get_forecast", "GITHUB__create_issue"}) {
        EXPECT_FALSE(catalog.resolve_direct(name)) << name;
    }
}

TEST(Catalog, ResolvesQualifiedIds) {
    const Catalog catalog(sample_tools());
    const auto ref = catalog.resolve_qualified("weather:get_forecast");
    ASSERT_TRUE(ref);
    EXPECT_EQ(ref->index, 2u);
    EXPECT_FALSE(catalog.resolve_qualified("weather__get_forecast"));
    EXPECT_FALSE(catalog.resolve_qualified("weather:nope"));
}

TEST(Catalog, DirectListingPreservesEveryUpstreamField) {
    const json upstream = {
        {"name", "get_forecast"},
        {"title", "Forecast"},
        {"description", "Weather forecast"},
        {"inputSchema", {{"type", "object"}, {"properties", {{"city", {{"type", "string"}}}}}}},
        {"outputSchema", {{"type", "object"}, {"properties", {{"t", {{"type", "number"}}}}}}},
        {"annotations", {{"readOnlyHint", true}, {"title", "Forecast"}}},
        {"_meta", {{"example.com/tier", "gold"}}},
        {"icons", json::array({{{"src", "https://example.com/sun.png"}, {"sizes", {"48x48"}}}})},
        {"x-unknown-future-field", {{"nested", json::array({1, 2, 3})}}}};
    const Catalog catalog({from_mcp_tool("weather", upstream)});

    json expected = upstream;
    expected["name"] = "weather__get_forecast";
    EXPECT_EQ(catalog.direct_tools_list(), json::array({expected}));
}

TEST(Catalog, DirectListingSuppliesAMissingInputSchema) {
    const Catalog catalog({from_mcp_tool("s", {{"name", "ping"}, {"description", "Ping"}})});
    const json expected = {
        {"name", "s__ping"}, {"description", "Ping"}, {"inputSchema", {{"type", "object"}}}};
    EXPECT_EQ(catalog.direct_tools_list(), json::array({expected}));
}

TEST(Catalog, FilterHidesTools) {
    const Catalog catalog(sample_tools());
    const ToolFilter only_github = [](const ToolDescriptor& t) { return t.server == "github"; };

    EXPECT_EQ(names(catalog.direct_tools_list(only_github)),
              (std::vector<std::string>{"github__create_issue", "github__delete_repo"}));
    for (const auto& hit : catalog.search("create issue", 10, only_github)) {
        EXPECT_EQ(catalog.tools()[hit.tool_index].server, "github");
    }
    EXPECT_EQ(catalog.search("create issue", 10).size(), 2u);
    EXPECT_EQ(catalog.search("create issue", 10, only_github).size(), 1u);
    EXPECT_TRUE(catalog.search("forecast", 10, only_github).empty());
    const ToolFilter nothing = [](const ToolDescriptor&) { return false; };
    EXPECT_TRUE(catalog.direct_tools_list(nothing).empty());
}

TEST(Catalog, RejectsInvalidServerNames) {
    for (const char* server : {"", "bad server", "a__b", "-x"}) {
        std::vector<ToolDescriptor> tools = {tool("ok", "t", "")};
        tools[0].server = server;
        EXPECT_THROW(Catalog{tools}, std::invalid_argument) << server;
    }
}

TEST(Catalog, RejectsDuplicateTools) {
    try {
        Catalog catalog({tool("s", "t", "one"), tool("s", "t", "two")});
        FAIL() << "no exception";
    } catch (const std::invalid_argument& error) {
        EXPECT_THAT(error.what(), HasSubstr("duplicate tool \"t\" from server \"s\""));
    }
}

TEST(Catalog, ServerNameEndingInUnderscoreStillResolves) {
    const Catalog catalog({tool("srv_", "tool", "")});
    const auto ref = catalog.resolve_direct("srv___tool");
    ASSERT_TRUE(ref);
    EXPECT_EQ(ref->tool->server, "srv_");
}

TEST(Catalog, CollidingDirectNamesListAndResolveTheFirstTool) {
    const Catalog catalog({tool("a_", "x", "first"), tool("a", "_x", "second")});

    EXPECT_EQ(catalog.direct_name_collisions(), (std::vector<std::string>{"a___x"}));
    EXPECT_EQ(names(catalog.direct_tools_list()), (std::vector<std::string>{"a___x"}));
    const auto ref = catalog.resolve_direct("a___x");
    ASSERT_TRUE(ref);
    EXPECT_EQ(ref->index, 0u);
    // Both stay reachable by their unambiguous ids.
    EXPECT_TRUE(catalog.resolve_qualified("a:_x"));
}

TEST(Catalog, SharedSnapshot) {
    const std::shared_ptr<const Catalog> catalog = Catalog::make(sample_tools());
    EXPECT_EQ(catalog->size(), 4u);
    EXPECT_EQ(catalog->index().document_count(), 4u);
    EXPECT_EQ(Catalog::make({})->direct_tools_list(), json::array());
}

}  // namespace
}  // namespace mcpproxy::tools
