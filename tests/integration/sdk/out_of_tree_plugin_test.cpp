// R-SDK-2 end to end: install the SDK from this build tree to a temporary prefix, build
// examples/hello-plugin against it with nothing but find_package(mcpproxy-sdk), and load the
// result into the real mcpproxy binary.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "mcpproxy/sdk/version.hpp"
#include "tests/integration/sdk/command_runner.hpp"
#include "tests/support/proxy_process.hpp"
#include "tests/support/raw_http.hpp"
#include "tests/support/temp_dir.hpp"

namespace mcpproxy::test {
namespace {

namespace fs = std::filesystem;

// One SDK install and one plugin build, shared by every test of the suite.
struct ExampleBuild {
    TempDir work;
    fs::path prefix = work / "prefix";
    fs::path build = work / "hello-build";
    fs::path plugin_dir = build;
    fs::path plugin = build / "hello-plugin.so";
    fs::path unit_tests = build / "hello-plugin-tests";
    std::string failure;  // empty when everything was built
};

bool run_step(ExampleBuild& b, const std::vector<std::string>& argv) {
    const auto r = run_command(argv, b.work.path());
    if (r.exit_code == 0) return true;
    b.failure = "`" + command_line(argv) + "` exited with " + std::to_string(r.exit_code) + ":\n" +
                r.output;
    return false;
}

std::unique_ptr<ExampleBuild> install_sdk_and_build_example() {
    auto b = std::make_unique<ExampleBuild>();
    // The SDK's own install rules (the sdk/ subtree): what a plugin author installs. They need
    // nothing built, so this works whichever targets of the main build exist.
    if (!run_step(*b, {MCPPROXY_TEST_CMAKE, "--install", (build_dir() / "sdk").string(), "--prefix",
                       b->prefix.string()})) {
        return b;
    }
    // Same compiler, generator and flags (sanitizers included) as the main build; nothing else
    // from it: the example finds the SDK through CMAKE_PREFIX_PATH only.
    std::vector<std::string> configure{
        MCPPROXY_TEST_CMAKE,
        "-S",
        MCPPROXY_TEST_EXAMPLE_DIR,
        "-B",
        b->build.string(),
        "-G",
        MCPPROXY_TEST_GENERATOR,
        "-DCMAKE_MAKE_PROGRAM=" MCPPROXY_TEST_MAKE_PROGRAM,
        "-DCMAKE_CXX_COMPILER=" MCPPROXY_TEST_CXX_COMPILER,
        "-DCMAKE_CXX_FLAGS=" MCPPROXY_TEST_CXX_FLAGS,
        "-DCMAKE_MODULE_LINKER_FLAGS=" MCPPROXY_TEST_MODULE_LINKER_FLAGS,
        "-DCMAKE_BUILD_TYPE=" MCPPROXY_TEST_BUILD_TYPE,
        "-DCMAKE_PREFIX_PATH=" + b->prefix.string(),
        "-DHELLO_PLUGIN_TESTS=ON"};
    if (std::string boost_dir = MCPPROXY_TEST_BOOST_DIR; !boost_dir.empty()) {
        configure.push_back("-DBoost_DIR=" + boost_dir);
    }
    if (!run_step(*b, configure)) return b;
    run_step(*b, {MCPPROXY_TEST_CMAKE, "--build", b->build.string()});
    return b;
}

class OutOfTreePlugin : public ::testing::Test {
protected:
    static void SetUpTestSuite() { example_ = install_sdk_and_build_example(); }
    static void TearDownTestSuite() { example_.reset(); }

    void SetUp() override { ASSERT_EQ(example_->failure, "") << "building hello-plugin failed"; }

    static const ExampleBuild& example() { return *example_; }

    // A config of our own, so that no ~/.mcpproxy/mcp_config.json of the user takes part.
    static std::string write_config(const TempDir& dir, const std::string& plugins_json) {
        dir.write("config.json", R"({"listen": "127.0.0.1:0", "plugins": )" + plugins_json + "}");
        return (dir / "config.json").string();
    }

private:
    static inline std::unique_ptr<ExampleBuild> example_;
};

TEST_F(OutOfTreePlugin, SdkInstallHoldsHeadersAndCMakePackage) {
    const auto& prefix = example().prefix;
    EXPECT_TRUE(fs::is_regular_file(prefix / "include/mcpproxy/sdk/plugin.hpp"));
    EXPECT_TRUE(fs::is_regular_file(prefix / "include/mcpproxy/sdk/auth_bridge.hpp"));
    EXPECT_TRUE(fs::is_regular_file(prefix / "include/mcpproxy/sdk/testing/test_host.hpp"));
    const auto package = prefix / MCPPROXY_TEST_INSTALL_LIBDIR / "cmake/mcpproxy-sdk";
    EXPECT_TRUE(fs::is_regular_file(package / "mcpproxy-sdkConfig.cmake"));
    EXPECT_TRUE(fs::is_regular_file(package / "mcpproxy-sdkConfigVersion.cmake"));
    EXPECT_TRUE(fs::is_regular_file(package / "McpproxyPlugin.cmake"));
    // A header-only SDK: nothing to link against.
    EXPECT_FALSE(fs::exists(prefix / "bin"));
}

TEST_F(OutOfTreePlugin, BuildsAModuleNamedAfterThePlugin) {
    EXPECT_TRUE(fs::is_regular_file(example().plugin));
}

// The SDK's test harness (mcpproxy::sdk_testing) works from an installed SDK: the example's own
// unit tests load the plugin file with a TestHost and pass.
TEST_F(OutOfTreePlugin, ItsUnitTestsPassWithTheSdkTestHarness) {
    ASSERT_TRUE(fs::is_regular_file(example().unit_tests));
    const auto r = run_command({example().unit_tests.string()}, example().build);
    EXPECT_EQ(r.exit_code, 0) << r.output;
    EXPECT_NE(r.output.find("[  PASSED  ] 7 tests"), std::string::npos) << r.output;
}

TEST_F(OutOfTreePlugin, PluginsListDescribesIt) {
    const auto r = run_mcpproxy(
        {"plugins", "list", "--plugins-dir", example().plugin_dir.string(), "-o", "json"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto rows = nlohmann::json::parse(r.out);
    const auto row = std::find_if(rows.begin(), rows.end(),
                                  [](const auto& x) { return x["name"] == "hello-plugin"; });
    ASSERT_NE(row, rows.end()) << r.out;
    EXPECT_EQ((*row)["kind"], "auth_bridge");
    EXPECT_EQ((*row)["version"], "1.0.0");
    EXPECT_EQ((*row)["abi_version"], MCPPROXY_SDK_ABI_VERSION);
    EXPECT_TRUE((*row)["loadable"].get<bool>()) << (*row)["problem"];
}

TEST_F(OutOfTreePlugin, LoadedByPathInARunningProxy) {
    TempDir dir;
    ProxyProcess proxy({"--config", write_config(dir, "[]"), "--plugin", example().plugin.string()},
                       dir.path());
    ASSERT_TRUE(proxy.started()) << proxy.log();
    EXPECT_EQ(proxy.stop(), 0) << proxy.log();
    const auto log = proxy.log();
    EXPECT_NE(log.find("hello-plugin started (greeting: hello)"), std::string::npos) << log;
    EXPECT_NE(log.find("hello-plugin stopped"), std::string::npos) << log;
}

TEST_F(OutOfTreePlugin, ReadsItsConfigBlock) {
    TempDir dir;
    const auto config =
        write_config(dir, R"([{"name": "hello-plugin", "config": {"greeting": "ahoy"}}])");
    ProxyProcess proxy({"--config", config, "--plugins-dir", example().plugin_dir.string()},
                       dir.path());
    ASSERT_TRUE(proxy.started()) << proxy.log();
    EXPECT_EQ(proxy.stop(), 0) << proxy.log();
    EXPECT_NE(proxy.log().find("hello-plugin started (greeting: ahoy)"), std::string::npos)
        << proxy.log();
}

TEST_F(OutOfTreePlugin, AuthenticatesMcpRequestsThatSayHello) {
    TempDir dir;
    ProxyProcess proxy({"--config", write_config(dir, "[]"), "--plugin", example().plugin.string()},
                       dir.path());
    ASSERT_TRUE(proxy.started()) << proxy.log();
    const std::string initialize = R"({"jsonrpc": "2.0", "id": 1, "method": "initialize",
        "params": {"protocolVersion": "2025-06-18", "capabilities": {},
                   "clientInfo": {"name": "sdk-test", "version": "1"}}})";
    auto post = [&](const std::map<std::string, std::string>& extra) {
        std::map<std::string, std::string> headers{
            {"Content-Type", "application/json"},
            {"Accept", "application/json, text/event-stream"}};
        headers.insert(extra.begin(), extra.end());
        return http_request(proxy.port(), boost::beast::http::verb::post, "/mcp", headers,
                            initialize);
    };

    const auto greeted = post({{"X-Hello", "Ada"}});
    EXPECT_EQ(greeted.result_int(), 200) << greeted.body();

    // The only bridge on the listener: without its header nobody gets in, and the 401 carries
    // the bridge's own challenge.
    const auto anonymous = post({});
    EXPECT_EQ(anonymous.result_int(), 401) << anonymous.body();
    EXPECT_EQ(anonymous[boost::beast::http::field::www_authenticate], "Hello realm=\"mcpproxy\"");

    const auto nameless = post({{"X-Hello", "  "}});
    EXPECT_EQ(nameless.result_int(), 401) << nameless.body();
}

TEST_F(OutOfTreePlugin, RefusesABadConfigNamingPluginAndKey) {
    TempDir dir;
    const auto config =
        write_config(dir, R"([{"name": "hello-plugin", "config": {"greeting": 42}}])");
    const auto r = run_mcpproxy({"serve", "--config", config, "--data-dir", (dir / "data").string(),
                                 "--plugins-dir", example().plugin_dir.string()});
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_NE(r.err.find("hello-plugin"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("\"greeting\" must be a string"), std::string::npos) << r.err;
}

TEST_F(OutOfTreePlugin, ContributesTheHelloCommand) {
    TempDir dir;
    const auto r =
        run_mcpproxy({"hello", "--plugins-dir", example().plugin_dir.string(), "--config",
                      write_config(dir, "[]"), "--data-dir", (dir / "data").string()});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, "hello, world!\n");
}

TEST_F(OutOfTreePlugin, HelloCommandUsesConfiguredGreetingAndOptions) {
    TempDir dir;
    const auto config =
        write_config(dir, R"([{"name": "hello-plugin", "config": {"greeting": "ahoy"}}])");
    const auto r =
        run_mcpproxy({"hello", "--name", "Ada", "--plugins-dir", example().plugin_dir.string(),
                      "--config", config, "--data-dir", (dir / "data").string()});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, "ahoy, Ada!\n");
}

}  // namespace
}  // namespace mcpproxy::test
