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

http::response<http::string_body> initialize_with(unsigned short port,
                                                  std::map<std::string, std::string> headers) {
    headers["Content-Type"] = "application/json";
    headers["Accept"] = "application/json, text/event-stream";
    const Json init = request_message(1, "initialize",
                                      {{"protocolVersion", "2025-06-18"},
                                       {"capabilities", Json::object()},
                                       {"clientInfo", {{"name", "fault-test"}, {"version", "1"}}}});
    return http_request(port, http::verb::post, "/mcp", headers, init.dump());
}

int post_initialize(unsigned short port, bool throw_in_bridge) {
    std::map<std::string, std::string> headers;
    if (throw_in_bridge) headers["X-Throw"] = "yes";
    return initialize_with(port, std::move(headers)).result_int();
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

    // 23 failures in all stay under the default 30 failed logins a minute (429 after that).
    for (int i = 0; i < 12; ++i) EXPECT_EQ(post_initialize(proxy.port(), true), 401);
    EXPECT_EQ(http_request(proxy.port(), http::verb::get, "/healthz").result_int(), 200);
    // The bridge answers normally in between (not its request: 401 with no other bridge) ...
    EXPECT_EQ(post_initialize(proxy.port(), false), 401);
    // ... so a new spell of failures is logged again, once.
    for (int i = 0; i < 6; ++i) EXPECT_EQ(post_initialize(proxy.port(), true), 401);

    // A challenge() that throws: the 401 still goes out, with the default challenge, and the
    // failure is logged once.
    for (int i = 0; i < 2; ++i) {
        const auto r = initialize_with(proxy.port(), {{"X-Throw-Challenge", "yes"}});
        EXPECT_EQ(r.result_int(), 401);
        EXPECT_EQ(r[http::field::www_authenticate], "Bearer");
        EXPECT_EQ(r.body().find("realm"), std::string::npos) << r.body();
    }
    EXPECT_EQ(initialize_with(proxy.port(), {})[http::field::www_authenticate],
              "Bearer realm=\"throwing\"");

    const auto log = proxy.log();
    EXPECT_EQ(count_of(log, "plugin test-throwing-bridge: challenge() threw (no realm today)"), 1U)
        << log;
    EXPECT_EQ(count_of(log, kThrew), 2U) << log;
    EXPECT_NE(log.find("token cache corrupted"), std::string::npos) << log;
    // Once between the two spells, once after the second (the challenge requests).
    EXPECT_EQ(count_of(log, "plugin test-throwing-bridge: authenticate() answers again"), 2U)
        << log;
    EXPECT_EQ(proxy.stop(), 0) << proxy.log();
}

}  // namespace
}  // namespace mcpproxy::test
