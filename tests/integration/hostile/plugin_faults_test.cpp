// A plugin that throws at run time (issue 9): an auth bridge whose authenticate() throws on some
// requests. The proxy stays up and keeps answering, the request is refused (a throwing bridge
// never opens the door), and the failure is logged once with the plugin's name, not per request.
#include <gtest/gtest.h>

#include <memory>

#include "tests/integration/mcp/mcp_http.hpp"
#include "tests/integration/mcp/mcp_proxy.hpp"
#include "tests/support/proxy_process.hpp"
#include "tests/support/raw_http.hpp"
#include "tests/support/temp_dir.hpp"

namespace mcpproxy::test {
namespace {

namespace http = boost::beast::http;
using namespace std::chrono_literals;

constexpr const char* kThrew = "plugin test-throwing-bridge: authenticate() threw";

std::size_t count_of(const std::string& text, const std::string& what) {
    std::size_t n = 0;
    for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
    return n;
}

int post_initialize(unsigned short port, bool throw_in_bridge) {
    std::map<std::string, std::string> headers{{"Content-Type", "application/json"},
                                               {"Accept", "application/json, text/event-stream"}};
    if (throw_in_bridge) headers["X-Throw"] = "yes";
    const Json init = request_message(1, "initialize",
                                      {{"protocolVersion", "2025-06-18"},
                                       {"capabilities", Json::object()},
                                       {"clientInfo", {{"name", "fault-test"}, {"version", "1"}}}});
    return http_request(port, http::verb::post, "/mcp", headers, init.dump()).result_int();
}

TEST(PluginFaultsTest, AThrowingAuthBridgeRefusesTheRequestAndIsLoggedOncePerSpell) {
    TempDir dir;
    const Json config{
        {"listen", "127.0.0.1:0"},
        {"plugins", {"test-throwing-bridge"}},
        {"mcpServers",
         {{{"name", "alpha"}, {"command", stdio_upstream_binary()}, {"args", {"alpha"}}}}}};
    dir.write("config.json", config.dump());
    ProxyProcess proxy({"--config", (dir / "config.json").string(), "--plugins-dir",
                        (build_dir() / "test-plugins").string()},
                       dir.path());
    ASSERT_TRUE(proxy.started()) << proxy.log();
    ASSERT_TRUE(eventually(
        [&] { return http_request(proxy.port(), http::verb::get, "/healthz").result_int() == 200; },
        15s))
        << proxy.log();

    // 20 failures in all stay under the default 30 failed logins a minute (429 after that).
    for (int i = 0; i < 12; ++i) EXPECT_EQ(post_initialize(proxy.port(), true), 401);
    EXPECT_EQ(http_request(proxy.port(), http::verb::get, "/healthz").result_int(), 200);
    // The bridge answers normally in between (not its request: 401 with no other bridge) ...
    EXPECT_EQ(post_initialize(proxy.port(), false), 401);
    // ... so a new spell of failures is logged again, once.
    for (int i = 0; i < 6; ++i) EXPECT_EQ(post_initialize(proxy.port(), true), 401);

    const auto log = proxy.log();
    EXPECT_EQ(count_of(log, kThrew), 2U) << log;
    EXPECT_NE(log.find("token cache corrupted"), std::string::npos) << log;
    EXPECT_EQ(count_of(log, "plugin test-throwing-bridge: authenticate() answers again"), 1U)
        << log;
    EXPECT_EQ(proxy.stop(), 0) << proxy.log();
}

}  // namespace
}  // namespace mcpproxy::test
