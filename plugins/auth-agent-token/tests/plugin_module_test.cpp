// Loads the built plugin file the way the kernel does and drives it through the SDK only.
#include <gtest/gtest.h>

#include <boost/dll/shared_library.hpp>
#include <nlohmann/json.hpp>
#include <thread>

#include "cli_test_support.hpp"
#include "fakes.hpp"
#include "mcpproxy/sdk/plugin.hpp"
#include "temp_dir.hpp"

using agt_test::FakeHost;
using agt_test::FakeRequest;
using agt_test::TempDir;
namespace sdk = mcpproxy::sdk;

TEST(PluginModule, ExportsItsDescriptorAndWorksEndToEnd) {
    boost::dll::shared_library lib(
        AGT_PLUGIN_PATH, boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local);
    auto& describe = lib.get_alias<sdk::DescriptorFunction>(sdk::kDescriptorSymbol);
    const sdk::PluginDescriptor* d = describe();
    ASSERT_NE(d, nullptr);
    EXPECT_EQ(d->abi_version, sdk::kAbiVersion);
    EXPECT_STREQ(d->name, "auth-agent-token");
    EXPECT_STREQ(d->kind, "auth_bridge");
    EXPECT_STREQ(d->version, "0.1.0");
    EXPECT_STREQ(d->commands, "token");

    TempDir dir;
    {
        FakeHost host(dir.path().string());
        auto& create = lib.get_alias<sdk::CreateFunction>(sdk::kCreateSymbol);
        std::string error;
        std::unique_ptr<sdk::Plugin> plugin(create(host, error));
        ASSERT_NE(plugin, nullptr) << error;
        ASSERT_NE(plugin->auth_bridge(), nullptr);
        EXPECT_EQ(plugin->tunnel_adapter(), nullptr);
        EXPECT_EQ(host.commands.size(), 6U);
        plugin->start();
        const auto secret = agt_test::create_token(host, "module-test");
        const auto start = std::chrono::steady_clock::now();
        sdk::AuthResult result;
        do {
            result = plugin->auth_bridge()->authenticate(
                FakeRequest().with_header("Authorization", "Bearer " + secret));
            if (result.outcome == sdk::AuthOutcome::authenticated) break;
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        } while (std::chrono::steady_clock::now() - start < std::chrono::seconds(5));
        EXPECT_EQ(result.outcome, sdk::AuthOutcome::authenticated) << result.reason;
        EXPECT_EQ(result.identity.name, "module-test");
        plugin->stop();
        plugin.reset();
        host.commands.clear();  // their code lives in the library: drop them before it unloads
    }

    {
        FakeHost bad(dir.path().string(), R"({"unknown": true})");
        auto& create = lib.get_alias<sdk::CreateFunction>(sdk::kCreateSymbol);
        std::string error;
        EXPECT_EQ(create(bad, error), nullptr);
        EXPECT_NE(error.find("unknown key 'unknown'"), std::string::npos) << error;
    }
}
