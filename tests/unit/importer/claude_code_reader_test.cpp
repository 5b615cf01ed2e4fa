// Claude Code's three scopes: user and per-project ("local") servers in ~/.claude.json, and the
// projects' .mcp.json files; names, collisions, identical duplicates, declined servers.
#include "kernel/importer/claude_code_reader.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

namespace mcpproxy::importer {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

std::string sample_text(const std::string& name) {
    std::ifstream in(std::string(MCPPROXY_IMPORT_SAMPLES) + "/claude_code/" + name);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

void replace_all(std::string& text, const std::string& from, const std::string& to) {
    for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
        text.replace(at, from.size(), to);
}

class ClaudeCodeScopes : public ::testing::Test {
protected:
    fs::path root;
    fs::path webapp;
    fs::path api;
    Json claude_json;

    void SetUp() override {
        char tmpl[] = "/tmp/claude-code-import-XXXXXX";
        root = ::mkdtemp(tmpl);
        webapp = root / "webapp";
        api = root / "api";
        fs::create_directories(webapp);
        fs::create_directories(api);
        std::ofstream(webapp / ".mcp.json") << sample_text("webapp.mcp.json");
        auto text = sample_text("claude.json");
        replace_all(text, "@WEBAPP@", webapp.string());
        replace_all(text, "@API@", api.string());
        replace_all(text, "@EMPTY@", (root / "empty").string());
        claude_json = Json::parse(text);
    }
    void TearDown() override { fs::remove_all(root); }

    static const ImportedServer* find(const ServerList& list, const std::string& name) {
        for (const auto& s : list.servers) {
            if (s.name == name) return &s;
        }
        return nullptr;
    }
    static bool has_note(const ImportedServer* s, const std::string& part) {
        if (s == nullptr) return false;
        for (const auto& n : s->notes) {
            if (n.find(part) != std::string::npos) return true;
        }
        return false;
    }
    static std::string names(const ServerList& list) {
        std::string out;
        for (const auto& s : list.servers) out += s.name + " ";
        return out;
    }
};

TEST_F(ClaudeCodeScopes, ReadsUserLocalAndProjectScopes) {
    const auto list = read_claude_code(claude_json, root / ".claude.json", webapp);
    // JSON objects are read in key order.
    EXPECT_EQ(names(list), "docs github postgres sentry docs-api postgres-api ");
    ASSERT_NE(find(list, "github"), nullptr);
    EXPECT_EQ(find(list, "github")->entry["env"]["GITHUB_PERSONAL_ACCESS_TOKEN"],
              "ghp_userscopeexample");
    EXPECT_EQ(find(list, "sentry")->entry["url"], "https://mcp.sentry.dev/mcp");
    EXPECT_TRUE(has_note(find(list, "sentry"),
                         "from project " + webapp.string() + " (project scope, .mcp.json)"));
    EXPECT_TRUE(has_note(find(list, "postgres"),
                         "from project " + webapp.string() + " (local scope, ~/.claude.json)"));
}

TEST_F(ClaudeCodeScopes, IdenticalServersAreImportedOnceWithANote) {
    const auto list = read_claude_code(claude_json, root / ".claude.json", webapp);
    // webapp's local github is the user-scope one; its .mcp.json postgres is its local one.
    EXPECT_TRUE(has_note(find(list, "github"), "also defined, identically, in project " +
                                                   webapp.string() + " (local scope"));
    EXPECT_TRUE(has_note(find(list, "postgres"), "also defined, identically, in project " +
                                                     webapp.string() + " (project scope"));
}

TEST_F(ClaudeCodeScopes, DifferentServersOfOneNameGetTheProjectFolderAsSuffix) {
    const auto list = read_claude_code(claude_json, root / ".claude.json", webapp);
    const auto* pg = find(list, "postgres-api");
    ASSERT_NE(pg, nullptr) << names(list);
    EXPECT_EQ(pg->entry["name"], "postgres-api");
    EXPECT_EQ(pg->entry["args"][2], "postgresql://localhost/api");
    EXPECT_EQ(pg->original_name, "postgres");
    EXPECT_TRUE(has_note(pg, "renamed from \"postgres\""));
    EXPECT_TRUE(has_note(pg, "from project " + api.string()));
    EXPECT_TRUE(
        has_note(find(list, "docs-api"), "that name belongs to a different server (user scope)"));
}

TEST_F(ClaudeCodeScopes, DeclinedProjectServersAreSkippedWithAReason) {
    const auto list = read_claude_code(claude_json, root / ".claude.json", webapp);
    EXPECT_EQ(find(list, "untrusted"), nullptr);
    ASSERT_EQ(list.skipped.size(), 1U);
    EXPECT_NE(list.skipped[0].find("untrusted"), std::string::npos);
    EXPECT_NE(list.skipped[0].find("declined"), std::string::npos);
}

TEST_F(ClaudeCodeScopes, SourcesSayWhatWasRead) {
    const auto list = read_claude_code(claude_json, root / ".claude.json", webapp);
    ASSERT_EQ(list.sources.size(), 2U);
    EXPECT_EQ(list.sources[0], (root / ".claude.json").string() +
                                   ": 2 servers in user scope, 4 servers in the local scope of 2 "
                                   "of 3 projects");
    EXPECT_EQ(list.sources[1], (webapp / ".mcp.json").string() + ": 3 servers in project scope");
}

TEST_F(ClaudeCodeScopes, WithoutACurrentProjectTheProjectsGoByPath) {
    const auto list = read_claude_code(claude_json, root / ".claude.json", std::nullopt);
    // api sorts before webapp, so api's postgres keeps the name.
    EXPECT_EQ(names(list), "docs github docs-api postgres postgres-webapp sentry ");
    EXPECT_EQ(find(list, "postgres")->entry["args"][2], "postgresql://localhost/api");
}

TEST_F(ClaudeCodeScopes, OnlyAProjectFileWithoutClaudeJson) {
    const auto list = read_claude_code(std::nullopt, root / ".claude.json", webapp);
    EXPECT_EQ(names(list), "postgres sentry untrusted ");
    EXPECT_TRUE(list.skipped.empty());
}

TEST_F(ClaudeCodeScopes, AnUnreadableProjectFileIsReportedNotFatal) {
    if (::geteuid() == 0) GTEST_SKIP() << "root reads every file";
    fs::permissions(webapp / ".mcp.json", fs::perms::none);
    const auto list = read_claude_code(claude_json, root / ".claude.json", webapp);
    EXPECT_EQ(names(list), "docs github postgres docs-api postgres-api ");
    ASSERT_EQ(list.skipped.size(), 1U);
    EXPECT_EQ(list.skipped[0], (webapp / ".mcp.json").string() + ": cannot be read");
}

TEST(ClaudeCodeFiles, RecognisesTheUserFile) {
    EXPECT_TRUE(is_claude_code_user_file(Json{{"projects", Json::object()}}));
    EXPECT_FALSE(is_claude_code_user_file(Json{{"mcpServers", Json::object()}}));
}

}  // namespace
}  // namespace mcpproxy::importer
