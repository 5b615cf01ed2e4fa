// Loads real plugin files into the real mcpproxy binary: one good plugin and one per failure mode.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "mcpproxy/sdk/version.hpp"
#include "tests/support/proxy_process.hpp"
#include "tests/support/raw_http.hpp"
#include "tests/support/temp_dir.hpp"

namespace mcpproxy::test {
namespace {

std::string test_plugin_dir() {
    return (build_dir() / "test-plugins").string();
}

// A start-up refusal: non-zero exit (not a crash) and the reason on stderr, in one line.
void expect_refused(const std::string& plugin, const std::string& reason_fragment) {
    TempDir dir;
    const auto r =
        run_mcpproxy({"serve", "--listen", "127.0.0.1:0", "--data-dir", (dir / "data").string(),
                      "--plugins-dir", test_plugin_dir(), "--plugin", plugin});
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_NE(r.err.find(reason_fragment), std::string::npos) << r.err;
    // Exactly one error line (informational log lines may precede it).
    std::size_t error_lines = 0;
    std::istringstream lines(r.err);
    for (std::string line; std::getline(lines, line);)
        error_lines += line.starts_with("mcpproxy: ") ? 1 : 0;
    EXPECT_EQ(error_lines, 1U) << r.err;
}

TEST(PluginLoading, GoodPluginLoadsStartsAndStops) {
    TempDir dir;
    dir.write("config.json", R"({"listen": "127.0.0.1:0",
        "plugins": [{"name": "test-good", "config": {"greeting": "ahoy"}}]})");
    ProxyProcess proxy(
        {"--config", (dir / "config.json").string(), "--plugins-dir", test_plugin_dir()},
        dir.path());
    ASSERT_TRUE(proxy.started()) << proxy.log();
    const auto res = http_request(proxy.port(), boost::beast::http::verb::get, "/readyz");
    EXPECT_EQ(res.result_int(), 200);
    const auto body = nlohmann::json::parse(res.body());
    EXPECT_TRUE(body["ready"].get<bool>());
    EXPECT_EQ(proxy.stop(), 0);
    const auto log = proxy.log();
    EXPECT_NE(log.find("test-good started: ahoy"), std::string::npos) << log;
    EXPECT_NE(log.find("test-good stopped"), std::string::npos) << log;
}

TEST(PluginLoading, PluginContributesCliCommand) {
    TempDir dir;
    const auto r = run_mcpproxy({"greet", "--name", "Ada", "--plugins-dir", test_plugin_dir(),
                                 "--data-dir", (dir / "d").string()});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("hello, Ada"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find((dir / "d").string()), std::string::npos) << r.out;
}

TEST(PluginLoading, PluginsListDescribesEveryFile) {
    const auto r =
        run_mcpproxy({"plugins", "list", "--plugins-dir", test_plugin_dir(), "-o", "json"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto rows = nlohmann::json::parse(r.out);
    std::map<std::string, nlohmann::json> by_name;
    for (const auto& row : rows) by_name[row["name"].get<std::string>()] = row;
    ASSERT_TRUE(by_name.contains("test-good"));
    EXPECT_EQ(by_name["test-good"]["version"], "1.2.3");
    EXPECT_EQ(by_name["test-good"]["kind"], "extension");
    EXPECT_EQ(by_name["test-good"]["abi_version"], MCPPROXY_SDK_ABI_VERSION);
    EXPECT_TRUE(by_name["test-good"]["loadable"].get<bool>());
    ASSERT_TRUE(by_name.contains("test-abi-mismatch"));
    EXPECT_FALSE(by_name["test-abi-mismatch"]["loadable"].get<bool>());
    EXPECT_NE(by_name["test-abi-mismatch"]["problem"].get<std::string>().find("ABI 999"),
              std::string::npos);
    ASSERT_TRUE(by_name.contains("test-not-a-library"));
    EXPECT_FALSE(by_name["test-not-a-library"]["loadable"].get<bool>());
}

TEST(PluginLoading, RefusesMissingPluginListingWhereItLooked) {
    expect_refused("no-such-plugin", "not found (looked in " + test_plugin_dir());
}

TEST(PluginLoading, RefusesAbiMismatchNamingBothVersions) {
    expect_refused("test-abi-mismatch", "built for plugin ABI 999, this mcpproxy supports ABI " +
                                            std::to_string(MCPPROXY_SDK_ABI_VERSION));
}

TEST(PluginLoading, RefusesFileThatIsNotASharedObject) {
    expect_refused("test-not-a-library", "cannot be loaded as a shared object");
}

TEST(PluginLoading, RefusesSharedObjectWithoutEntryPoints) {
    expect_refused("test-missing-symbols", "is not an mcpproxy plugin (missing symbol");
}

TEST(PluginLoading, RefusesPluginWithUnresolvedSymbols) {
    expect_refused("test-unresolved", "mcpproxy_symbol_that_does_not_exist");
}

TEST(PluginLoading, ReportsFactoryExceptionWithPluginName) {
    expect_refused(
        "test-factory-throws",
        "plugin test-factory-throws: failed to start: bad config: \"endpoint\" is required");
}

TEST(PluginLoading, ReportsStartFailureWithPluginName) {
    expect_refused("test-start-throws",
                   "plugin test-start-throws: failed to start: daemon binary not found");
}

TEST(PluginLoading, AcceptsAPathInsteadOfAName) {
    TempDir dir;
    ProxyProcess proxy({"--plugin", test_plugin_dir() + "/test-good.so"}, dir.path());
    ASSERT_TRUE(proxy.started()) << proxy.log();
    EXPECT_EQ(proxy.stop(), 0);
    EXPECT_NE(proxy.log().find("test-good started: hello"), std::string::npos);
}

}  // namespace
}  // namespace mcpproxy::test
