// /healthz on the tunneled listener answers 503 until the proxy is ready and 200 after, with an
// empty body either way. Readiness waits until every enabled upstream has had its first connection
// attempt settled (connected, failed or timed out), so an upstream that never answers initialize
// holds readiness back for the upstream connect timeout (30 s) and no longer: one broken upstream
// must not keep a tunnel from ever serving the others.
#include <gtest/gtest.h>

#include <thread>

#include "tests/integration/tunnel/tunnel_harness.hpp"

namespace mcpproxy::test::tunnel {
namespace {
namespace http = boost::beast::http;
using namespace std::chrono_literals;

TEST(Readiness, HealthzIs503WhileAnUpstreamHangsThen200) {
    Workspace workspace;
    workspace.create_token("agent");
    RunningProxy proxy(workspace,
                       {{"tunnel", {{"enabled", true}}},
                        {"management", {{"listen", "127.0.0.1:0"}}},
                        {"mcpServers", Json::array({Json{{"name", "hangs"},
                                                         {"command", "/bin/sleep"},
                                                         {"args", Json::array({"100"})}}})}});
    const auto started = std::chrono::steady_clock::now();

    // While the upstream has not answered initialize: 503, nothing in the body.
    while (std::chrono::steady_clock::now() - started < 3s) {
        const auto r = http_request(proxy.main_port(), http::verb::get, "/healthz");
        ASSERT_EQ(r.result_int(), 503)
            << "after " << (std::chrono::steady_clock::now() - started) / 1ms << " ms";
        EXPECT_TRUE(r.body().empty()) << r.body();
        std::this_thread::sleep_for(100ms);
    }
    const auto readyz = http_request(proxy.management_port(), http::verb::get, "/readyz");
    EXPECT_EQ(readyz.result_int(), 503);
    const auto pending = Json::parse(readyz.body()).at("not_ready");
    ASSERT_EQ(pending.size(), 1U) << readyz.body();
    EXPECT_EQ(pending[0].at("component"), "upstreams");

    // The connect attempt times out after 30 s; then the proxy is ready without that upstream.
    const auto ready =
        poll_until([&] { return http_request(proxy.main_port(), http::verb::get, "/healthz"); },
                   [](const HttpResponse& r) { return r.result_int() == 200; }, 60s);
    ASSERT_EQ(ready.result_int(), 200) << proxy.log();
    EXPECT_TRUE(ready.body().empty());
    EXPECT_GE(std::chrono::steady_clock::now() - started, 25s)
        << "ready before the upstream settled";

    const auto servers = Json::parse(management(proxy.management_port(), http::verb::get,
                                                "/api/v1/servers", admin_key(workspace))
                                         .body());
    ASSERT_EQ(servers.size(), 1U);
    EXPECT_NE(servers[0].at("state"), "ready") << servers.dump();
    EXPECT_FALSE(servers[0].at("last_error").get<std::string>().empty()) << servers.dump();
}

}  // namespace
}  // namespace mcpproxy::test::tunnel
