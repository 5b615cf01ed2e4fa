// Each importer against a sample written from its client's documentation.
#include "kernel/importer/server_list_reader.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace mcpproxy::importer {
namespace {

using Json = nlohmann::json;

Json sample(const std::string& name) {
    std::ifstream in(std::string(MCPPROXY_IMPORT_SAMPLES) + "/" + name);
    std::stringstream s;
    s << in.rdbuf();
    return Json::parse(s.str(), nullptr, true, true);
}

const ImportedServer& find(const ServerList& list, const std::string& name) {
    for (const auto& s : list.servers) {
        if (s.name == name) return s;
    }
    throw std::runtime_error("no server " + name);
}

bool has_note(const ImportedServer& s, const std::string& part) {
    for (const auto& n : s.notes) {
        if (n.find(part) != std::string::npos) return true;
    }
    return false;
}

TEST(ClaudeDesktop, StdioServersWithEnvSecretsKept) {
    const auto list = read_server_list(sample("claude_desktop_config.json"));
    ASSERT_EQ(list.servers.size(), 2U);
    const auto& github = find(list, "github");
    EXPECT_EQ(github.entry["command"], "npx");
    EXPECT_EQ(github.entry["args"], Json::array({"-y", "@modelcontextprotocol/server-github"}));
    EXPECT_EQ(github.entry["env"]["GITHUB_PERSONAL_ACCESS_TOKEN"], "ghp_exampleexampleexample");
    EXPECT_TRUE(github.notes.empty());
    EXPECT_EQ(find(list, "filesystem").entry["args"][2], "/Users/me/Desktop");
}

TEST(ClaudeCode, HttpServersAndVariablesAndSseSkipped) {
    const auto list = read_server_list(sample("claude_code_mcp.json"));
    ASSERT_EQ(list.servers.size(), 2U);
    const auto& api = find(list, "api-server");
    EXPECT_EQ(api.entry["url"], "https://api.example.com/mcp");
    EXPECT_EQ(api.entry["headers"]["Authorization"], "Bearer ${API_KEY}");
    EXPECT_TRUE(has_note(api, "${API_KEY}"));
    EXPECT_FALSE(api.entry.contains("type"));
    EXPECT_TRUE(has_note(find(list, "shared-server"), "${API_KEY:-none}"));
    ASSERT_EQ(list.skipped.size(), 1U);
    EXPECT_NE(list.skipped[0].find("old-events: uses the legacy SSE transport"), std::string::npos);
}

TEST(Cursor, RenamesAndReportsWhatItDoesNotCarry) {
    const auto list = read_server_list(sample("cursor_mcp.json"));
    ASSERT_EQ(list.servers.size(), 2U);
    const auto& search = find(list, "web-search");
    EXPECT_EQ(search.original_name, "web.search");
    EXPECT_TRUE(has_note(search, "renamed from \"web.search\""));
    EXPECT_TRUE(has_note(search, "\"envFile\" not imported"));
    EXPECT_EQ(search.entry["env"]["TIMEOUT"], "30");  // a number becomes a string, reported
    EXPECT_TRUE(has_note(search, "env.TIMEOUT was number"));
    EXPECT_EQ(find(list, "remote").entry["headers"]["API_KEY"], "value");
}

TEST(VsCode, ServersObjectWithCommentsAndInputs) {
    const auto list = read_server_list(sample("vscode_mcp.json"));
    EXPECT_NE(list.format.find("VS Code"), std::string::npos);
    ASSERT_EQ(list.servers.size(), 3U);
    EXPECT_TRUE(has_note(find(list, "Perplexity"), "${input:perplexity-key}"));
    EXPECT_EQ(find(list, "fetch").entry["command"], "uvx");
    EXPECT_EQ(find(list, "github").entry["url"], "https://api.githubcopilot.com/mcp/");
    ASSERT_EQ(list.skipped.size(), 1U);
    EXPECT_NE(list.skipped[0].find("inputs"), std::string::npos);
}

TEST(GoMcpproxy, ArrayWithStateFlagsAndUnknownFieldsReported) {
    const auto list = read_server_list(sample("mcpproxy_go_config.json"));
    ASSERT_EQ(list.servers.size(), 2U);
    const auto& sqlite = find(list, "sqlite");
    EXPECT_TRUE(has_note(sqlite, "field \"created\" not imported"));
    EXPECT_TRUE(has_note(sqlite, "field \"isolation\" not imported"));
    EXPECT_EQ(sqlite.entry["quarantined"], false);
    EXPECT_EQ(find(list, "remote-docs").entry["enabled"], false);
}

TEST(ServerNames, UnsafeNamesBecomeSafeAndDistinct) {
    EXPECT_EQ(safe_server_name("my server"), "my-server");
    EXPECT_EQ(safe_server_name("a__b"), "a_b");
    EXPECT_EQ(safe_server_name("@scope/pkg"), "scope-pkg");
    EXPECT_EQ(safe_server_name("..."), "server");
    const auto list = read_server_list(
        Json::parse(R"({"mcpServers": {"a.b": {"command": "x"}, "a b": {"command": "y"}}})"));
    ASSERT_EQ(list.servers.size(), 2U);
    EXPECT_NE(list.servers[0].name, list.servers[1].name);
}

TEST(Documents, WithoutAServerListAreRefused) {
    EXPECT_THROW(read_server_list(Json::parse(R"({"foo": 1})")), std::invalid_argument);
    EXPECT_THROW(read_server_list(Json::parse("[]")), std::invalid_argument);
}

TEST(Entries, WithoutCommandOrUrlAreSkippedWithAReason) {
    const auto list = read_server_list(
        Json::parse(R"({"mcpServers": {"x": {"args": []}, "y": {"url": "ftp://h"}, "z": 3}})"));
    EXPECT_TRUE(list.servers.empty());
    EXPECT_EQ(list.skipped.size(), 3U);
}

}  // namespace
}  // namespace mcpproxy::importer
