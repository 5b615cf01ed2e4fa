// "tool_names": "bare": direct mode lists upstream names as they are, prefixing only shared ones.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tool_fixtures.hpp"
#include "tools/catalog.hpp"
#include "tools/public_names.hpp"

namespace mcpproxy::tools {
namespace {

using ::testing::ElementsAre;
using testing::tool;

std::vector<ToolDescriptor> sample_tools() {
    return {tool("github", "create_issue", "Create an issue in a repository"),
            tool("github", "delete_repo", "Delete a repository"),
            tool("weather", "get_forecast", "Weather forecast"),
            tool("gitlab", "create_issue", "Create an issue in a GitLab project")};
}

std::vector<std::string> listed_names(const Catalog& catalog) {
    std::vector<std::string> result;
    for (const auto& entry : catalog.direct_tools_list()) result.push_back(entry.at("name"));
    return result;
}

TEST(BareNames, UniqueToolsKeepTheirNamesAndSharedOnesArePrefixed) {
    const Catalog catalog(sample_tools(), DirectNames::bare);
    EXPECT_THAT(listed_names(catalog), ElementsAre("github__create_issue", "delete_repo",
                                                   "get_forecast", "gitlab__create_issue"));
    EXPECT_THAT(catalog.shared_tool_names(), ElementsAre("create_issue"));
    EXPECT_EQ(catalog.direct_name_of(1), "delete_repo");
}

TEST(BareNames, ListedNamesResolveAndSoDoesThePrefixedForm) {
    const Catalog catalog(sample_tools(), DirectNames::bare);
    const auto bare = catalog.resolve_direct("get_forecast");
    ASSERT_TRUE(bare);
    EXPECT_EQ(bare->tool->server, "weather");
    const auto prefixed = catalog.resolve_direct("weather__get_forecast");
    ASSERT_TRUE(prefixed);
    EXPECT_EQ(prefixed->index, bare->index);
    const auto shared = catalog.resolve_direct("gitlab__create_issue");
    ASSERT_TRUE(shared);
    EXPECT_EQ(shared->tool->server, "gitlab");
    // A shared name alone is ambiguous, so it names nothing.
    EXPECT_FALSE(catalog.resolve_direct("create_issue"));
    EXPECT_FALSE(catalog.resolve_direct("nobody__get_forecast"));
}

TEST(BareNames, PrefixedNamingIsUnchanged) {
    const Catalog catalog(sample_tools());
    EXPECT_THAT(listed_names(catalog),
                ElementsAre("github__create_issue", "github__delete_repo", "weather__get_forecast",
                            "gitlab__create_issue"));
    EXPECT_TRUE(catalog.shared_tool_names().empty());
    EXPECT_FALSE(catalog.resolve_direct("get_forecast"));
}

TEST(BareNames, ABareNameEqualToAnotherToolsPrefixedNameIsListedOnce) {
    // "a" offers a tool literally named "b__x"; "b" offers "x", listed bare as "x".
    const Catalog catalog({tool("a", "b__x", "odd name"), tool("b", "x", "x"), tool("c", "x", "x")},
                          DirectNames::bare);
    EXPECT_THAT(listed_names(catalog), ElementsAre("b__x", "c__x"));
    EXPECT_THAT(catalog.direct_name_collisions(), ElementsAre("b__x"));
}

TEST(PublicNames, BareNamingPrefixesOnlyNamesSeveralServersShare) {
    const std::vector<NamedItem> items{
        {"s1", "simple"}, {"s1", "shared"}, {"s2", "shared"}, {"s2", "other"}};
    EXPECT_THAT(public_names(items, DirectNames::bare),
                ElementsAre("simple", "s1__shared", "s2__shared", "other"));
    EXPECT_THAT(public_names(items, DirectNames::prefixed),
                ElementsAre("s1__simple", "s1__shared", "s2__shared", "s2__other"));
    EXPECT_THAT(shared_names(items), ElementsAre("shared"));
}

TEST(PublicNames, ANameListedTwiceByOneServerIsNotShared) {
    const std::vector<NamedItem> items{{"s1", "dup"}, {"s1", "dup"}};
    EXPECT_THAT(public_names(items, DirectNames::bare), ElementsAre("dup", "dup"));
    EXPECT_TRUE(shared_names(items).empty());
}

}  // namespace
}  // namespace mcpproxy::tools
