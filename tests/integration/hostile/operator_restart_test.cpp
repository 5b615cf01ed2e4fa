// An upstream restarted by the operator (POST /api/v1/servers/<name>/restart) under a continuous
// call loop: its tools never disappear meanwhile (a caller sees "upstream unavailable" for a
// moment, never "Unknown tool"), the reconnection waits out no crash back-off, and calls work
// again afterwards.
#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <thread>

#include "tests/integration/mcp/mcp_http.hpp"
#include "tests/integration/mcp/mcp_proxy.hpp"
#include "tests/support/proxy_process.hpp"
#include "tests/support/raw_http.hpp"
#include "tests/support/temp_dir.hpp"

namespace mcpproxy::test {
namespace {

using namespace std::chrono_literals;
namespace http = boost::beast::http;

constexpr const char* kAdminKey = "admin-key-for-the-operator-restart-test";
constexpr int kUpstreamUnavailable = -32001;

class OperatorRestartTest : public ::testing::Test {
protected:
    void SetUp() override {
        const Json config{
            {"listen", "127.0.0.1:0"},
            {"routing_mode", "direct"},
            {"api_key", kAdminKey},
            {"management", {{"listen", "127.0.0.1:0"}}},
            {"mcpServers",
             {{{"name", "alpha"}, {"command", stdio_upstream_binary()}, {"args", {"alpha"}}}}}};
        dir_.write("config.json", config.dump());
        proxy_ = std::make_unique<ProxyProcess>(
            std::vector<std::string>{"--config", (dir_ / "config.json").string()}, dir_.path());
        ASSERT_TRUE(proxy_->started()) << proxy_->log();
        // "ready" comes before the tools are listed: wait for a call that works.
        ASSERT_TRUE(eventually([&] { return call_echo().contains("result"); }, 20s))
            << proxy_->log();
    }

    Json management(http::verb verb, const std::string& path) {
        const auto r = http_request(proxy_->port("management"), verb, path,
                                    {{"Authorization", std::string("Bearer ") + kAdminKey}});
        return Json::parse(r.body(), nullptr, false);
    }

    Json alpha() {
        const auto servers = management(http::verb::get, "/api/v1/servers");
        if (servers.is_array()) {
            for (const auto& s : servers) {
                if (s.value("name", "") == "alpha") return s;
            }
        }
        return Json::object();
    }

    Json call_echo() {
        const Json body = request_message(
            1, "tools/call", {{"name", "alpha__echo"}, {"arguments", {{"text", "hi"}}}});
        const auto reply = mcp_post(proxy_->port(), body.dump(),
                                    {{"MCP-Protocol-Version", kStatelessVersion},
                                     {"Mcp-Method", "tools/call"},
                                     {"Mcp-Name", "alpha__echo"}},
                                    10s);
        return reply.messages.empty() ? Json() : reply.last();
    }

    TempDir dir_;
    std::unique_ptr<ProxyProcess> proxy_;
};

TEST_F(OperatorRestartTest, ToolsStayKnownDuringTheRestartAndCallsWorkAfterIt) {
    const auto restarts_before = alpha().value("restarts", 0U);

    std::atomic<bool> stop{false};
    std::map<int, int> error_codes;  // JSON-RPC error code -> count, seen during the restart
    int ok_calls = 0;
    int no_reply = 0;
    std::thread caller([&] {
        while (!stop.load()) {
            const auto reply = call_echo();
            if (reply.is_null()) {
                ++no_reply;
            } else if (reply.contains("error")) {
                ++error_codes[reply["error"].value("code", 0)];
            } else {
                ++ok_calls;
            }
        }
    });
    std::this_thread::sleep_for(200ms);
    const auto answer = management(http::verb::post, "/api/v1/servers/alpha/restart");
    EXPECT_EQ(answer.value("ok", false), true) << answer.dump();
    const bool restarted = eventually(
        [&] {
            const auto s = alpha();
            return s.value("restarts", 0U) > restarts_before && s.value("state", "") == "ready";
        },
        15s);
    std::this_thread::sleep_for(300ms);
    stop = true;
    caller.join();

    ASSERT_TRUE(restarted) << alpha().dump() << proxy_->log();
    std::string codes;
    for (const auto& [code, count] : error_codes) {
        codes += std::to_string(code) + " x" + std::to_string(count) + "; ";
    }
    std::printf("[ restart  ] %d calls answered, errors during the restart: %s\n", ok_calls,
                codes.empty() ? "none" : codes.c_str());
    EXPECT_EQ(no_reply, 0);
    for (const auto& [code, count] : error_codes) {
        EXPECT_EQ(code, kUpstreamUnavailable)
            << count << " calls got error " << code << " (an unknown tool is -32602)";
    }
    EXPECT_TRUE(call_echo().contains("result")) << proxy_->log();
    EXPECT_EQ(proxy_->log().find("reconnecting in"), std::string::npos)
        << "an operator's restart is no failure to back off from:\n"
        << proxy_->log();
}

}  // namespace
}  // namespace mcpproxy::test
