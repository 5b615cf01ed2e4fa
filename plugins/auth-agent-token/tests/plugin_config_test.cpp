#include "plugin_config.hpp"

#include <gtest/gtest.h>

#include "agent_token_plugin.hpp"
#include "fakes.hpp"
#include "temp_dir.hpp"

using namespace mcpproxy::agent_token;
using namespace std::chrono_literals;

namespace {

std::string error_of(std::string_view json) {
    try {
        (void)parse_plugin_config(json);
    } catch (const std::invalid_argument& e) {
        return e.what();
    }
    return "(no error)";
}

}  // namespace

TEST(PluginConfig, DefaultsWhenEmpty) {
    for (std::string_view text : {"{}", ""}) {
        const auto c = parse_plugin_config(text);
        EXPECT_EQ(c.poll_interval, 200ms);
        EXPECT_EQ(c.last_used_flush_interval, 5000ms);
        EXPECT_EQ(c.busy_timeout, 5000ms);
        EXPECT_TRUE(c.accept_x_api_key);
        EXPECT_EQ(c.default_lifetime, std::chrono::days(30));
    }
}

TEST(PluginConfig, ReadsEveryKey) {
    const auto c = parse_plugin_config(
        R"({"poll_interval_ms": 100, "last_used_flush_ms": 1000, "busy_timeout_ms": 250,
            "accept_x_api_key": false, "default_expiry": "90d"})");
    EXPECT_EQ(c.poll_interval, 100ms);
    EXPECT_EQ(c.last_used_flush_interval, 1000ms);
    EXPECT_EQ(c.busy_timeout, 250ms);
    EXPECT_FALSE(c.accept_x_api_key);
    EXPECT_EQ(c.default_lifetime, std::chrono::days(90));
}

TEST(PluginConfig, RejectsTyposBadTypesAndRanges) {
    EXPECT_NE(error_of(R"({"pol_interval_ms": 100})").find("unknown key 'pol_interval_ms'"),
              std::string::npos);
    EXPECT_NE(error_of(R"({"poll_interval_ms": 5000})")
                  .find("'poll_interval_ms' must be an integer from 20 to 1000"),
              std::string::npos);
    EXPECT_NE(error_of(R"({"poll_interval_ms": "200"})").find("poll_interval_ms"),
              std::string::npos);
    EXPECT_NE(error_of(R"({"accept_x_api_key": "yes"})").find("true or false"), std::string::npos);
    EXPECT_EQ(error_of(R"({"default_expiry": "400d"})"),
              "auth-agent-token config: 'default_expiry': 400d: at most 365d");
    EXPECT_NE(error_of("[1]").find("must be a JSON object"), std::string::npos);
    EXPECT_NE(error_of("{not json").find("must be a JSON object"), std::string::npos);
}

TEST(PluginConfig, BadConfigFailsPluginConstruction) {
    agt_test::TempDir dir;
    agt_test::FakeHost host(dir.path().string(), R"({"nope": 1})");
    EXPECT_THROW(AgentTokenPlugin plugin(host), std::invalid_argument);
}
