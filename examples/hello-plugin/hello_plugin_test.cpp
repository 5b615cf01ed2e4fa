// Unit tests of hello-plugin with the SDK's test harness (mcpproxy::sdk_testing): the plugin file
// is loaded the way mcpproxy loads it, with a TestHost instead of a running proxy.
#include <gtest/gtest.h>

#include <string>

#include "mcpproxy/sdk/testing/load_plugin.hpp"
#include "mcpproxy/sdk/testing/test_host.hpp"
#include "mcpproxy/sdk/testing/test_request.hpp"

namespace {

using mcpproxy::sdk::AuthOutcome;
using mcpproxy::sdk::testing::LoadedPlugin;
using mcpproxy::sdk::testing::TestHost;
using mcpproxy::sdk::testing::TestRequest;

TEST(HelloPlugin, DescribesItselfAsAnAuthBridge) {
    TestHost host;
    const LoadedPlugin plugin(HELLO_PLUGIN_FILE, host);
    EXPECT_STREQ(plugin.descriptor().name, "hello-plugin");
    EXPECT_STREQ(plugin.descriptor().kind, "auth_bridge");
    EXPECT_NE(plugin->auth_bridge(), nullptr);
    EXPECT_EQ(plugin->tunnel_adapter(), nullptr);
}

TEST(HelloPlugin, AuthenticatesTheNameInTheHeaderAndCountsIt) {
    TestHost host;
    const LoadedPlugin plugin(HELLO_PLUGIN_FILE, host);
    auto& bridge = *plugin->auth_bridge();

    const auto result = bridge.authenticate(TestRequest{}.with_header("x-hello", " Ada "));
    ASSERT_EQ(result.outcome, AuthOutcome::authenticated);
    EXPECT_EQ(result.identity.name, "Ada");
    EXPECT_EQ(result.identity.kind, "hello");
    EXPECT_EQ(plugin->health_detail(), "greeting \"hello\", 1 request(s) accepted");
}

TEST(HelloPlugin, LeavesRequestsWithoutTheHeaderToOtherBridges) {
    TestHost host;
    const LoadedPlugin plugin(HELLO_PLUGIN_FILE, host);
    const auto result = plugin->auth_bridge()->authenticate(
        TestRequest{}.with_header("Authorization", "Bearer something"));
    EXPECT_EQ(result.outcome, AuthOutcome::not_mine);
}

TEST(HelloPlugin, RejectsBlankAndOverlongNames) {
    TestHost host;
    const LoadedPlugin plugin(HELLO_PLUGIN_FILE, host);
    auto& bridge = *plugin->auth_bridge();
    EXPECT_EQ(bridge.authenticate(TestRequest{}.with_header("X-Hello", "  ")).reason, "empty_name");
    EXPECT_EQ(
        bridge.authenticate(TestRequest{}.with_header("X-Hello", std::string(65, 'a'))).reason,
        "invalid_name");
    EXPECT_EQ(plugin->health_detail(), "greeting \"hello\", 0 request(s) accepted");
}

TEST(HelloPlugin, ItsCommandUsesTheConfiguredGreeting) {
    TestHost host(R"({"greeting": "ahoy"})");
    const LoadedPlugin plugin(HELLO_PLUGIN_FILE, host);
    ASSERT_EQ(host.command_paths(), std::vector<std::string>{"hello"});

    const auto with_default = host.run_command("hello");
    EXPECT_EQ(with_default.exit_code, 0);
    EXPECT_EQ(with_default.out, "ahoy, world!\n");
    const auto named = host.run_command("hello", {.options = {{"name", "Grace"}}});
    EXPECT_EQ(named.out, "ahoy, Grace!\n");
}

TEST(HelloPlugin, LogsThroughTheHostsLogger) {
    TestHost host;
    const LoadedPlugin plugin(HELLO_PLUGIN_FILE, host);
    plugin->start();
    plugin->stop();
    EXPECT_TRUE(host.log().contains("hello-plugin started (greeting: hello)"))
        << host.log().joined();
    EXPECT_TRUE(host.log().contains("hello-plugin stopped")) << host.log().joined();
}

TEST(HelloPlugin, ABadConfigIsAnErrorNamingTheKey) {
    TestHost host(R"({"greating": "typo"})");
    try {
        const LoadedPlugin plugin(HELLO_PLUGIN_FILE, host);
        FAIL() << "a config with an unknown key was accepted";
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find("greating"), std::string::npos) << e.what();
    }
}

}  // namespace
