#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "agent_token_plugin.hpp"
#include "cli_test_support.hpp"
#include "fakes.hpp"
#include "temp_dir.hpp"
#include "time_format.hpp"
#include "token_format.hpp"

using namespace mcpproxy::agent_token;
using agt_test::create_token;
using agt_test::FakeHost;
using agt_test::run;
using agt_test::TempDir;

namespace {

class CliTest : public ::testing::Test {
protected:
    CliTest() : host(dir.path().string()), plugin(host) {}

    static std::size_t count(const std::string& haystack, const std::string& needle) {
        std::size_t n = 0;
        for (auto pos = haystack.find(needle); pos != std::string::npos;
             pos = haystack.find(needle, pos + 1))
            ++n;
        return n;
    }

    TempDir dir;
    FakeHost host;
    AgentTokenPlugin plugin;
};

}  // namespace

TEST_F(CliTest, RegistersTheSixTokenCommandsFromTheConstructor) {
    std::vector<std::string> paths;
    for (const auto& c : host.commands) paths.push_back(c.path);
    EXPECT_EQ(paths,
              (std::vector<std::string>{"token create", "token list", "token show", "token revoke",
                                        "token delete", "token regenerate"}));
    EXPECT_FALSE(std::filesystem::exists(dir.path() / "tokens.db"))
        << "constructing must not touch the data dir";
}

TEST_F(CliTest, CreatePrintsTheSecretOnceWithAWarning) {
    const auto r =
        run(host, "token create",
            {{"name", "ci-bot"}, {"servers", "github,fs"}, {"permissions", "read,write"}});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto pos = r.out.find("mcp_agt_");
    ASSERT_NE(pos, std::string::npos);
    const auto secret = r.out.substr(pos, kTokenLength);
    EXPECT_TRUE(is_well_formed_token(secret));
    EXPECT_EQ(count(r.out, secret), 1U);
    EXPECT_NE(r.out.find("only time the token is shown"), std::string::npos);
    EXPECT_NE(r.out.find("servers: github,fs"), std::string::npos);
    EXPECT_NE(r.out.find("permissions: read,write"), std::string::npos);
    EXPECT_TRUE(r.err.empty());
}

TEST_F(CliTest, CreateAsJsonCarriesTheTokenAndWarnsOnStderr) {
    const auto r = run(host, "token create",
                       {{"name", "ci"},
                        {"output", "json"},
                        {"expires", "12h"},
                        {"requests-per-second", "2.5"},
                        {"burst", "10"},
                        {"max-concurrent", "4"}});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto j = nlohmann::json::parse(r.out);
    EXPECT_TRUE(is_well_formed_token(j.at("token").get<std::string>()));
    EXPECT_EQ(j.at("name"), "ci");
    EXPECT_EQ(j.at("servers"), nlohmann::json::array({"*"}));
    EXPECT_EQ(j.at("permissions"), nlohmann::json::array({"read"}));
    EXPECT_EQ(j.at("status"), "active");
    EXPECT_EQ(j.at("limits").at("requests_per_second"), 2.5);
    EXPECT_EQ(j.at("limits").at("burst"), 10);
    EXPECT_EQ(j.at("limits").at("max_concurrent"), 4);
    EXPECT_TRUE(j.at("last_used_at").is_null());
    EXPECT_NE(r.err.find("warning: This is the only time"), std::string::npos);
}

TEST_F(CliTest, ErrorsAreOneLineAndExitNonZero) {
    create_token(host, "ci");
    const auto expect_error =
        [&](std::string_view path, std::map<std::string, std::string, std::less<>> options,
            std::map<std::string, std::string, std::less<>> positionals, const std::string& line) {
            const auto r = run(host, path, std::move(options), std::move(positionals));
            EXPECT_EQ(r.exit_code, 1) << path;
            EXPECT_EQ(r.err, "error: " + line + "\n") << path;
            EXPECT_TRUE(r.out.empty()) << r.out;
        };
    expect_error("token create", {{"name", "ci"}}, {}, "a token named 'ci' already exists");
    expect_error("token create", {{"name", "x"}, {"expires", "400d"}}, {}, "400d: at most 365d");
    expect_error("token create", {{"name", "x"}, {"permissions", "write"}}, {},
                 "permissions must include read (for example read,write)");
    expect_error("token create", {{"name", "x"}, {"output", "yaml"}}, {},
                 "--output yaml: use table or json");
    expect_error("token create", {{"name", "x"}, {"burst", "0"}}, {},
                 "--burst 0: expected a whole number from 1 to 1000000");
    expect_error("token create", {}, {}, "token name is empty");
    expect_error("token show", {}, {{"name", "nope"}}, "no token named 'nope'");
    expect_error("token revoke", {}, {{"name", "nope"}}, "no token named 'nope'");
    expect_error("token delete", {}, {{"name", "nope"}}, "no token named 'nope'");
    expect_error("token regenerate", {{"grace", "8d"}}, {{"name", "ci"}}, "8d: at most 7d");
    expect_error("token regenerate", {}, {{"name", "nope"}}, "no token named 'nope'");
}

TEST_F(CliTest, ListShowsEveryTokenWithStatusAndNeverASecret) {
    const auto a = create_token(host, "alpha");
    const auto b = create_token(host, "beta",
                                {{"servers", "github"}, {"permissions", "read,write,destructive"}});
    ASSERT_EQ(run(host, "token revoke", {}, {{"name", "beta"}}).exit_code, 0);

    const auto table = run(host, "token list");
    ASSERT_EQ(table.exit_code, 0) << table.err;
    EXPECT_EQ(table.out.rfind("NAME", 0), 0U);
    for (const char* column : {"SERVERS", "PERMISSIONS", "EXPIRES", "LAST USED", "STATUS"}) {
        EXPECT_NE(table.out.find(column), std::string::npos) << column;
    }
    EXPECT_NE(table.out.find("alpha"), std::string::npos);
    EXPECT_NE(table.out.find("read,write,destructive"), std::string::npos);
    EXPECT_NE(table.out.find("revoked"), std::string::npos);
    EXPECT_NE(table.out.find("never"), std::string::npos);
    EXPECT_EQ(table.out.find("mcp_agt_"), std::string::npos);

    const auto json = run(host, "token list", {{"output", "json"}});
    const auto j = nlohmann::json::parse(json.out);
    ASSERT_EQ(j.size(), 2U);
    EXPECT_EQ(j[1].at("name"), "beta");
    EXPECT_EQ(j[1].at("status"), "revoked");
    EXPECT_FALSE(j[1].at("revoked_at").is_null());
    EXPECT_FALSE(j[0].contains("token"));
    EXPECT_FALSE(j[0].contains("hash"));
    EXPECT_EQ(json.out.find(a), std::string::npos);
    EXPECT_EQ(json.out.find(b), std::string::npos);
}

TEST_F(CliTest, ShowRevokeDeleteAndRegenerate) {
    const auto first = create_token(host, "ci", {{"servers", "github"}});
    const auto show = run(host, "token show", {}, {{"name", "ci"}});
    ASSERT_EQ(show.exit_code, 0) << show.err;
    EXPECT_NE(show.out.find("servers:      github"), std::string::npos) << show.out;
    EXPECT_NE(show.out.find("status:       active"), std::string::npos) << show.out;

    const auto regen = run(host, "token regenerate", {{"grace", "60s"}}, {{"name", "ci"}});
    ASSERT_EQ(regen.exit_code, 0) << regen.err;
    EXPECT_NE(regen.out.find("mcp_agt_"), std::string::npos);
    EXPECT_EQ(regen.out.find(first), std::string::npos);
    EXPECT_NE(regen.out.find("The old secret keeps working until"), std::string::npos);
    const auto shown =
        nlohmann::json::parse(run(host, "token show", {{"output", "json"}}, {{"name", "ci"}}).out);
    EXPECT_FALSE(shown.at("previous_secret_valid_until").is_null());
    EXPECT_EQ(shown.at("servers"), nlohmann::json::array({"github"}));

    const auto immediate = run(host, "token regenerate", {}, {{"name", "ci"}});
    EXPECT_NE(immediate.out.find("The old secret no longer works."), std::string::npos);

    EXPECT_EQ(run(host, "token revoke", {}, {{"name", "ci"}}).out, "Revoked agent token 'ci'.\n");
    EXPECT_EQ(run(host, "token revoke", {}, {{"name", "ci"}}).out,
              "Agent token 'ci' was already revoked.\n");
    EXPECT_EQ(run(host, "token delete", {}, {{"name", "ci"}}).out, "Deleted agent token 'ci'.\n");
    EXPECT_EQ(run(host, "token show", {}, {{"name", "ci"}}).exit_code, 1);
}

TEST_F(CliTest, ConfiguredDefaultExpiryApplies) {
    TempDir other;
    FakeHost configured(other.path().string(), R"({"default_expiry": "7d"})");
    AgentTokenPlugin p(configured);
    create_token(configured, "short");
    const auto j = nlohmann::json::parse(
        run(configured, "token show", {{"output", "json"}}, {{"name", "short"}}).out);
    const auto expected =
        std::chrono::floor<std::chrono::seconds>(configured.now()) + std::chrono::days(7);
    EXPECT_EQ(j.at("expires_at"), rfc3339(expected));
}
