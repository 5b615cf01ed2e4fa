#include "kernel/config/config_loader.hpp"

#include <gtest/gtest.h>

#include "kernel/config/config_error.hpp"

namespace mcpproxy::config {
namespace {

Config parse(const std::string& text) {
    return parse_config(nlohmann::json::parse(text), "c.json");
}

std::string error_of(const std::string& text) {
    try {
        parse(text);
    } catch (const ConfigError& e) {
        return e.what();
    }
    return "no error";
}

TEST(ConfigLoader, DefaultsWhenEmpty) {
    const auto c = parse("{}");
    EXPECT_EQ(c.listen, "127.0.0.1:8080");
    EXPECT_EQ(c.routing_mode, RoutingMode::retrieve_tools);
    EXPECT_TRUE(c.data_dir.ends_with("/.mcpproxy"));
    EXPECT_EQ(c.call_tool_timeout, std::chrono::seconds(60));
}

TEST(ConfigLoader, ReadsGoStyleServerArray) {
    const auto c = parse(R"({"listen": "127.0.0.1:9000", "mcpServers": [
        {"name": "fs", "command": "npx", "args": ["-y", "x"], "env": {"K": "v"}, "enabled": false,
         "created": "2025-01-01T00:00:00Z"},
        {"name": "remote", "url": "https://example.test/mcp", "headers": {"Authorization": "Bearer s"},
         "protocol": "streamable-http", "timeout": "5s"}]})");
    ASSERT_EQ(c.servers.size(), 2U);
    EXPECT_EQ(c.servers[0].transport, UpstreamTransport::stdio);
    EXPECT_EQ(c.servers[0].args, (std::vector<std::string>{"-y", "x"}));
    EXPECT_FALSE(c.servers[0].enabled);
    EXPECT_EQ(c.servers[1].transport, UpstreamTransport::http);
    EXPECT_EQ(c.servers[1].timeout, std::chrono::seconds(5));
    EXPECT_FALSE(c.warnings.empty());  // "created" is accepted and reported as ignored
}

TEST(ConfigLoader, ReadsClaudeDesktopObjectShape) {
    const auto c =
        parse(R"({"mcpServers": {"git": {"command": "uvx", "args": ["mcp-server-git"]}}})");
    ASSERT_EQ(c.servers.size(), 1U);
    EXPECT_EQ(c.servers[0].name, "git");
}

TEST(ConfigLoader, ToolNamesDefaultToPrefixedAndAcceptBareInDirectMode) {
    EXPECT_EQ(parse("{}").tool_names, ToolNames::prefixed);
    EXPECT_EQ(parse(R"({"routing_mode": "direct", "tool_names": "bare"})").tool_names,
              ToolNames::bare);
    EXPECT_EQ(parse(R"({"routing_mode": "direct", "tool_names": "prefixed"})").tool_names,
              ToolNames::prefixed);
}

TEST(ConfigLoader, ToolNamesRejectsUnknownValuesAndBareOutsideDirectMode) {
    EXPECT_EQ(error_of(R"({"routing_mode": "direct", "tool_names": "short"})"),
              "config error: c.json: $.tool_names: expected \"prefixed\" or \"bare\"");
    EXPECT_EQ(error_of(R"({"tool_names": "bare"})"),
              "config error: c.json: $.tool_names: \"bare\" names apply to \"routing_mode\": "
              "\"direct\" only");
}

TEST(ConfigLoader, UnknownKeySuggestsClosest) {
    EXPECT_EQ(error_of(R"({"lisen": "x"})"),
              "config error: c.json: $.lisen: unknown key (did you mean \"listen\"?)");
    EXPECT_EQ(
        error_of(R"({"mcpServers": [{"name": "a", "comand": "x"}]})"),
        "config error: c.json: $.mcpServers[0].comand: unknown key (did you mean \"command\"?)");
}

TEST(ConfigLoader, TypeErrorsNameThePath) {
    EXPECT_EQ(error_of(R"({"mcpServers": [{"name": "a", "command": "x", "args": ["ok", 3]}]})"),
              "config error: c.json: $.mcpServers[0].args[1]: expected a string, got a number");
    EXPECT_EQ(
        error_of(R"({"limits": {"max_connections": 0}})"),
        "config error: c.json: $.limits.max_connections: must be between 1 and 1000000, got 0");
}

TEST(ConfigLoader, RejectsBadServerNamesAndDuplicates) {
    EXPECT_NE(error_of(R"({"mcpServers": [{"name": "a b", "command": "x"}]})")
                  .find("$.mcpServers[0].name"),
              std::string::npos);
    EXPECT_NE(error_of(R"({"mcpServers": [{"name": "a__b", "command": "x"}]})").find("no \"__\""),
              std::string::npos);
    EXPECT_EQ(
        error_of(
            R"({"mcpServers": [{"name": "a", "command": "x"}, {"name": "a", "url": "http://h/"}]})"),
        "config error: c.json: $.mcpServers[1].name: duplicate server name \"a\"");
}

TEST(ConfigLoader, ServerNeedsExactlyOneTransport) {
    EXPECT_NE(
        error_of(R"({"mcpServers": [{"name": "a"}]})").find("give \"command\" (stdio) or \"url\""),
        std::string::npos);
    EXPECT_NE(error_of(R"({"mcpServers": [{"name": "a", "command": "x", "url": "http://h"}]})")
                  .find("either"),
              std::string::npos);
    EXPECT_NE(error_of(R"({"mcpServers": [{"name": "a", "url": "ftp://h"}]})").find("http://"),
              std::string::npos);
}

TEST(ConfigLoader, ListenMustBeHostPort) {
    EXPECT_NE(error_of(R"({"listen": "8080"})").find("$.listen: expected HOST:PORT"),
              std::string::npos);
}

TEST(ConfigLoader, InvalidJsonGivesLineAndColumn) {
    const std::string path = ::testing::TempDir() + "/broken.json";
    FILE* f = std::fopen(path.c_str(), "w");
    std::fputs("{\n  \"listen\": \"x\",\n  oops\n}\n", f);
    std::fclose(f);
    try {
        load_config_file(path);
        FAIL() << "expected an error";
    } catch (const ConfigError& e) {
        EXPECT_NE(std::string(e.what()).find(path + ": invalid JSON at line 3"), std::string::npos)
            << e.what();
    }
}

// Found by fuzz_config: nlohmann throws out_of_range, not parse_error, for such a number.
TEST(ConfigLoader, ANumberTooLargeForADoubleIsAConfigErrorNotACrash) {
    const std::string path = ::testing::TempDir() + "/huge-number.json";
    FILE* f = std::fopen(path.c_str(), "w");
    std::fputs("{\"limits\": {\"max_connections\": 1e999999}}\n", f);
    std::fclose(f);
    try {
        load_config_file(path);
        FAIL() << "expected an error";
    } catch (const ConfigError& e) {
        EXPECT_NE(std::string(e.what()).find(path + ": invalid JSON: a number is too large"),
                  std::string::npos)
            << e.what();
    }
}

TEST(ConfigLoader, ADurationTooLongToConvertIsAConfigError) {
    EXPECT_EQ(error_of(R"({"mcpServers": [{"name": "a", "command": "x", "timeout": 1e300}]})"),
              "config error: c.json: $.mcpServers[0].timeout: is too long for a duration");
    EXPECT_EQ(parse(R"({"mcpServers": [{"name": "a", "command": "x", "timeout": 1.5}]})")
                  .servers.at(0)
                  .timeout,
              std::chrono::milliseconds(1500));
}

TEST(ConfigLoader, MissingFileSaysSo) {
    EXPECT_THROW(
        {
            try {
                load_config_file("/nonexistent/mcp.json");
            } catch (const ConfigError& e) {
                EXPECT_STREQ(e.what(), "config error: /nonexistent/mcp.json: no such file");
                throw;
            }
        },
        ConfigError);
}

TEST(ConfigLoader, PluginsAsNamesOrObjects) {
    const auto c = parse(
        R"({"plugins": ["auth-agent-token", {"name": "tunnel-ngrok", "config": {"region": "eu"}}]})");
    ASSERT_EQ(c.plugins.size(), 2U);
    EXPECT_EQ(c.plugins[1].settings["region"], "eu");
    EXPECT_NE(error_of(R"({"plugins": [{"name": "x", "config": 3}]})").find("$.plugins[0].config"),
              std::string::npos);
}

}  // namespace
}  // namespace mcpproxy::config
