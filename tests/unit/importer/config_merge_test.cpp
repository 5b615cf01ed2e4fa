#include "kernel/importer/config_merge.hpp"

#include <gtest/gtest.h>

#include "kernel/config/config_loader.hpp"

namespace mcpproxy::importer {
namespace {

using Json = nlohmann::json;

ServerList two_servers() {
    return read_server_list(Json::parse(R"({"mcpServers": {
        "github": {"command": "npx", "args": ["gh"], "env": {"TOKEN": "secret-value"}},
        "docs": {"url": "https://docs.example.com/mcp"}}})"));
}

TEST(Merge, NewServersAreQuarantinedAndOtherKeysKept) {
    const auto current = Json::parse(R"({"listen": "127.0.0.1:9000", "mcpServers": []})");
    const auto plan = merge_servers(current, two_servers(), false);
    EXPECT_EQ(plan.added.size(), 2U);
    EXPECT_EQ(plan.document["listen"], "127.0.0.1:9000");
    for (const auto& s : plan.document["mcpServers"]) EXPECT_EQ(s["quarantined"], true);
    const auto config = config::parse_config(plan.document, "merged.json");
    EXPECT_EQ(config.servers.size(), 2U);
    ASSERT_EQ(plan.secret_holders.size(), 1U);
    EXPECT_NE(plan.secret_holders[0].find("TOKEN"), std::string::npos);
    // The diff names the env key, never its value.
    EXPECT_NE(plan.diff.find("TOKEN=<redacted>"), std::string::npos);
    EXPECT_EQ(plan.diff.find("secret-value"), std::string::npos);
}

TEST(Merge, ApproveLeavesThemCallable) {
    const auto plan = merge_servers(Json::object(), two_servers(), true);
    for (const auto& s : plan.document["mcpServers"]) EXPECT_FALSE(s.contains("quarantined"));
}

TEST(Merge, SameServerIsUnchangedADifferentOneIsAConflict) {
    const auto current = Json::parse(R"({"mcpServers": {
        "github": {"command": "npx", "args": ["gh"], "env": {"TOKEN": "secret-value"}, "quarantined": true},
        "docs": {"url": "https://other.example.com/mcp"}}})");
    const auto plan = merge_servers(current, two_servers(), false);
    EXPECT_EQ(plan.unchanged, std::vector<std::string>{"github"});
    EXPECT_EQ(plan.conflicts, std::vector<std::string>{"docs"});
    EXPECT_TRUE(plan.added.empty());
    // An object-shaped list stays an object and the existing entry is untouched.
    EXPECT_EQ(plan.document["mcpServers"]["docs"]["url"], "https://other.example.com/mcp");
}

TEST(Merge, ObjectShapedListGetsKeyedEntries) {
    const auto plan = merge_servers(Json::parse(R"({"mcpServers": {}})"), two_servers(), false);
    ASSERT_TRUE(plan.document["mcpServers"].is_object());
    EXPECT_EQ(plan.document["mcpServers"]["docs"]["url"], "https://docs.example.com/mcp");
    EXPECT_FALSE(plan.document["mcpServers"]["docs"].contains("name"));
    EXPECT_NO_THROW(config::parse_config(plan.document, "merged.json"));
}

}  // namespace
}  // namespace mcpproxy::importer
