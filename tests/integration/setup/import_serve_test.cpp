#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <sstream>

#include "tests/integration/mcp/mcp_http.hpp"
#include "tests/integration/mcp/mcp_proxy.hpp"
#include "tests/support/proxy_process.hpp"
#include "tests/support/raw_http.hpp"
#include "tests/support/temp_dir.hpp"

namespace mcpproxy::test {
namespace {

using namespace std::chrono_literals;

std::string read_text(const std::filesystem::path& p) {
    std::ifstream in(p);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

unsigned mode_of(const std::filesystem::path& p) {
    struct stat st {};
    ::stat(p.c_str(), &st);
    return st.st_mode & 0777;
}

class ImportTest : public ::testing::Test {
protected:
    TempDir dir;
    std::filesystem::path config = dir / "mcp_config.json";
    std::filesystem::path claude = dir / "claude_desktop_config.json";

    void SetUp() override {
        dir.write(
            "mcp_config.json",
            R"({"listen": "127.0.0.1:0", "routing_mode": "direct", "shutdown_timeout": "5s", "mcpServers": []})");
        Json desktop{{"mcpServers",
                      {{"alpha",
                        {{"command", stdio_upstream_binary()},
                         {"args", {"alpha"}},
                         {"env", {{"ALPHA_TOKEN", "s3cret-token"}}}}}}}};
        dir.write("claude_desktop_config.json", desktop.dump());
    }

    // Serves the config and lists the tools once the upstream is connected and listed (or, when
    // it is quarantined, a moment after it connected).
    std::set<std::string> served_tools() {
        ProxyProcess proxy({"--config", config.string()}, dir.path());
        EXPECT_TRUE(proxy.started()) << proxy.log();
        EXPECT_TRUE(eventually(
            [&] { return proxy.log().find("[upstream:alpha] connected") != std::string::npos; },
            10s))
            << proxy.log();
        eventually(
            [&] {
                McpSession s(proxy.port());
                return !s.request("tools/list").last()["result"]["tools"].empty();
            },
            1500ms);
        McpSession session(proxy.port());
        std::set<std::string> names;
        const auto listed = session.request("tools/list");
        if (!listed.last().contains("result")) ADD_FAILURE() << listed.body << proxy.log();
        for (const auto& t : listed.last()["result"]["tools"]) {
            names.insert(t["name"].get<std::string>());
        }
        if (names.contains("alpha__whoami")) {
            EXPECT_EQ(first_text(session.call_tool("alpha__whoami")["result"]), "alpha");
        }
        return names;
    }
};

TEST_F(ImportTest, ImportedAndApprovedServerServesItsTools) {
    const auto r = run_mcpproxy(
        {"import", "--from", claude.string(), "--config", config.string(), "--approve"});
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_NE(r.out.find("+ alpha"), std::string::npos) << r.out;
    EXPECT_NE(r.err.find("ALPHA_TOKEN"), std::string::npos) << "the secrets warning names the key";
    EXPECT_EQ(r.out.find("s3cret-token"), std::string::npos) << "the value is never printed";
    // Never readable by others; an existing file keeps at most its group-read bit.
    EXPECT_EQ(mode_of(config) & 0137U, 0U) << std::oct << mode_of(config);
    EXPECT_NE(read_text(config).find("s3cret-token"), std::string::npos) << "env secret kept";
    const auto tools = served_tools();
    std::string listed;
    for (const auto& t : tools) listed += t + " ";
    EXPECT_TRUE(tools.contains("alpha__whoami")) << listed << read_text(config);
}

TEST_F(ImportTest, WithoutApproveTheServerIsQuarantined) {
    const auto r = run_mcpproxy({"import", "--from", claude.string(), "--config", config.string()});
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_NE(r.out.find("quarantined"), std::string::npos);
    EXPECT_FALSE(served_tools().contains("alpha__whoami"));
}

TEST_F(ImportTest, DryRunWritesNothingAndASecondImportChangesNothing) {
    const auto before = read_text(config);
    auto r = run_mcpproxy(
        {"import", "--from", claude.string(), "--config", config.string(), "--dry-run"});
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_NE(r.out.find("dry run: nothing written"), std::string::npos);
    EXPECT_EQ(read_text(config), before);
    ASSERT_EQ(
        run_mcpproxy({"import", "--from", claude.string(), "--config", config.string()}).exit_code,
        0);
    r = run_mcpproxy({"import", "--from", claude.string(), "--config", config.string()});
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_NE(r.out.find("= alpha"), std::string::npos) << r.out;
}

TEST_F(ImportTest, KnownClientNameReadsItsFileUnderHome) {
    const auto home = dir / "home";
    std::filesystem::create_directories(home / ".cursor");
    std::filesystem::copy_file(claude, home / ".cursor" / "mcp.json");
    // run_mcpproxy's extra variables come after the inherited ones, so HOME is changed here.
    const std::string saved_home = std::getenv("HOME") != nullptr ? std::getenv("HOME") : "";
    ::setenv("HOME", home.c_str(), 1);
    const auto r =
        run_mcpproxy({"import", "--from", "cursor", "--config", config.string(), "--dry-run"});
    const auto missing = run_mcpproxy({"import", "--from", "vscode", "--config", config.string()});
    ::setenv("HOME", saved_home.c_str(), 1);
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_NE(r.out.find((home / ".cursor" / "mcp.json").string()), std::string::npos) << r.out;
    EXPECT_NE(missing.exit_code, 0);
    EXPECT_NE(missing.err.find("no vscode config found"), std::string::npos) << missing.err;
}

TEST_F(ImportTest, ClaudeCodeReadsUserProjectAndLocalScopesAndSaysWhatItRead) {
    const auto home = dir / "home";
    const auto project = dir / "work" / "webapp";
    std::filesystem::create_directories(home);
    std::filesystem::create_directories(project);
    const auto upstream = stdio_upstream_binary();
    const Json user{
        {"numStartups", 3},
        {"mcpServers", {{"alpha", {{"command", upstream}, {"args", {"alpha"}}}}}},
        {"projects",
         {{project.string(),
           {{"allowedTools", Json::array()},
            {"mcpServers", {{"alpha", {{"command", upstream}, {"args", {"local-alpha"}}}}}}}}}}};
    dir.write("home/.claude.json", user.dump(2));
    dir.write("work/webapp/.mcp.json",
              Json{{"mcpServers", {{"beta", {{"command", upstream}, {"args", {"beta"}}}}}}}.dump());
    // run_mcpproxy's extra variables come after the inherited ones, so HOME is changed here; the
    // project is the current directory.
    const std::string saved_home = std::getenv("HOME") != nullptr ? std::getenv("HOME") : "";
    const auto saved_cwd = std::filesystem::current_path();
    ::setenv("HOME", home.c_str(), 1);
    std::filesystem::current_path(project);
    const auto r = run_mcpproxy({"import", "--from", "claude-code", "--config", config.string()});
    std::filesystem::current_path(saved_cwd);
    ::setenv("HOME", saved_home.c_str(), 1);
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_NE(r.out.find("read " + (home / ".claude.json").string() +
                         ": 1 server in user scope, 1 server in the local scope of 1 of 1 "
                         "projects\n"),
              std::string::npos)
        << r.out;
    EXPECT_NE(
        r.out.find("read " + (project / ".mcp.json").string() + ": 1 server in project scope\n"),
        std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find("converted 3 servers, skipped 0; merging into " + config.string()),
              std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find("alpha-webapp: from project " + project.string() + " (local scope"),
              std::string::npos)
        << r.out;
    const auto written = Json::parse(read_text(config));
    std::set<std::string> names;
    for (const auto& s : written["mcpServers"]) names.insert(s["name"].get<std::string>());
    EXPECT_EQ(names, (std::set<std::string>{"alpha", "alpha-webapp", "beta"}));
}

TEST(Init, WritesACommentedConfigThatLoads) {
    TempDir dir;
    const auto path = dir / "new.json";
    auto r = run_mcpproxy(
        {"init", "--config", path.string(), "--non-interactive", "--listen", "127.0.0.1:9123"});
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_EQ(mode_of(path), 0600U);
    EXPECT_NE(read_text(path).find("//"), std::string::npos);
    r = run_mcpproxy({"config", "check", path.string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("127.0.0.1:9123"), std::string::npos);
    r = run_mcpproxy({"init", "--config", path.string(), "--non-interactive"});
    EXPECT_NE(r.exit_code, 0) << "an existing file is kept without --force";
}

}  // namespace
}  // namespace mcpproxy::test
