// Upstream faults against the real binary: a stdio server that hangs, prints garbage on stdout,
// answers with a line past the 16 MiB cap, or quits mid-call. Each fails only the call that met
// it, within the per-call timeout, and the other upstream keeps answering meanwhile.
#include <gtest/gtest.h>

#include <future>
#include <memory>
#include <thread>

#include "tests/integration/mcp/mcp_http.hpp"
#include "tests/integration/mcp/mcp_proxy.hpp"
#include "tests/support/proxy_process.hpp"
#include "tests/support/raw_http.hpp"
#include "tests/support/temp_dir.hpp"

namespace mcpproxy::test {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

class UpstreamFaultsTest : public ::testing::Test {
protected:
    void SetUp() override {
        const Json config{
            {"listen", "127.0.0.1:0"},
            {"routing_mode", "direct"},
            {"shutdown_timeout", "5s"},
            {"mcpServers",
             {{{"name", "faulty"},
               {"command", "/bin/sh"},
               {"args", {MCPPROXY_FAULTY_UPSTREAM}},
               {"timeout", "2s"}},
              {{"name", "alpha"}, {"command", stdio_upstream_binary()}, {"args", {"alpha"}}}}}};
        dir_.write("config.json", config.dump());
        proxy_ = std::make_unique<ProxyProcess>(
            std::vector<std::string>{"--config", (dir_ / "config.json").string()}, dir_.path());
        ASSERT_TRUE(proxy_->started()) << proxy_->log();
        ASSERT_TRUE(eventually(
            [&] {
                try {
                    return http_request(proxy_->port(), boost::beast::http::verb::get, "/readyz")
                               .result_int() == 200;
                } catch (const std::exception&) {
                    return false;
                }
            },
            20s))
            << proxy_->log();
    }

    // A stateless tools/call; returns the final JSON-RPC message (or a null on HTTP failure).
    Json call(const std::string& tool, std::chrono::milliseconds limit = 15s) {
        const Json body =
            request_message(1, "tools/call", {{"name", tool}, {"arguments", Json::object()}});
        const auto reply = mcp_post(proxy_->port(), body.dump(),
                                    {{"MCP-Protocol-Version", kStatelessVersion},
                                     {"Mcp-Method", "tools/call"},
                                     {"Mcp-Name", tool}},
                                    limit);
        return reply.messages.empty() ? Json() : reply.last();
    }

    static bool failed(const Json& message) {
        return message.contains("error") ||
               (message.contains("result") && message["result"].value("isError", false));
    }

    TempDir dir_;
    std::unique_ptr<ProxyProcess> proxy_;
};

TEST_F(UpstreamFaultsTest, AHangingCallTimesOutWhileTheOtherUpstreamKeepsAnswering) {
    const auto start = Clock::now();
    auto hang = std::async(std::launch::async, [&] { return call("faulty__hang"); });
    int served = 0;
    auto slowest = 0ms;
    while (hang.wait_for(0ms) != std::future_status::ready && Clock::now() - start < 10s) {
        const auto t = Clock::now();
        const auto reply = call("alpha__echo");
        slowest = std::max(slowest,
                           std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t));
        if (reply.contains("result") && !failed(reply)) ++served;
        std::this_thread::sleep_for(20ms);
    }
    const auto message = hang.get();
    const auto took = Clock::now() - start;
    std::printf(
        "[ fault    ] hang: failed after %lld ms; alpha served %d calls meanwhile, slowest %lld "
        "ms\n",
        static_cast<long long>(std::chrono::duration_cast<std::chrono::milliseconds>(took).count()),
        served, static_cast<long long>(slowest.count()));
    EXPECT_TRUE(failed(message)) << message.dump();
    EXPECT_GE(took, 1500ms);
    EXPECT_LT(took, 6s);
    EXPECT_GE(served, 10);
    EXPECT_LT(slowest, 1s);
    // The upstream is still usable after its timed-out call.
    EXPECT_EQ(first_text(call("faulty__ok")["result"]), "ok");
}

TEST_F(UpstreamFaultsTest, GarbageOnStdoutIsSkippedAndTheRealAnswerStillArrives) {
    const auto message = call("faulty__garbage");
    ASSERT_TRUE(message.contains("result")) << message.dump();
    EXPECT_EQ(first_text(message["result"]), "after garbage");
    EXPECT_EQ(first_text(call("faulty__ok")["result"]), "ok");
    EXPECT_NE(proxy_->log().find("not JSON"), std::string::npos) << proxy_->log();
}

TEST_F(UpstreamFaultsTest, AResponsePastTheLineCapFailsThatCallOnly) {
    const auto start = Clock::now();
    const auto message = call("faulty__huge", 30s);
    const auto took = Clock::now() - start;
    std::printf(
        "[ fault    ] 17 MB response: failed after %lld ms: %s\n",
        static_cast<long long>(std::chrono::duration_cast<std::chrono::milliseconds>(took).count()),
        message.dump().substr(0, 200).c_str());
    EXPECT_TRUE(failed(message)) << message.dump().substr(0, 300);
    EXPECT_NE(message.dump().find("line cap"), std::string::npos) << message.dump().substr(0, 300);
    EXPECT_LT(took, 1900ms) << "a clear error at once, not the 2 s call timeout";
    EXPECT_EQ(first_text(call("faulty__ok")["result"]), "ok");
    EXPECT_EQ(first_text(call("alpha__echo")["result"]), "");  // alpha echoes an empty text
}

TEST_F(UpstreamFaultsTest, AnUpstreamClosingItsPipesMidCallFailsTheCallPromptlyAndComesBack) {
    const auto start = Clock::now();
    const auto message = call("faulty__quit");
    const auto took = Clock::now() - start;
    EXPECT_TRUE(failed(message)) << message.dump();
    EXPECT_LT(took, 1900ms) << "must not wait for the 2 s call timeout";
    EXPECT_TRUE(eventually(
        [&] {
            const auto again = call("faulty__ok");
            return again.contains("result") && !failed(again);
        },
        15s, 200ms))
        << proxy_->log();
}

// A stdio upstream that exits as soon as it starts, every time: the proxy stays up, retries with
// a doubling back-off (0.5 s, 1 s, 2 s, 4 s ... capped at 30 s), shows the server as "failed" in
// the management API and in /readyz's degraded list, and the other upstream keeps answering.
TEST(UpstreamCrashLoopTest, BacksOffShowsFailedAndLeavesTheOtherUpstreamServing) {
    constexpr const char* kAdminKey = "admin-key-for-the-crash-loop-test";
    TempDir dir;
    const Json config{
        {"listen", "127.0.0.1:0"},
        {"routing_mode", "direct"},
        {"api_key", kAdminKey},
        {"management", {{"listen", "127.0.0.1:0"}}},
        {"mcpServers",
         {{{"name", "crasher"},
           {"command", "/bin/sh"},
           {"args", {"-c", "echo crash-loop-upstream dying >&2; exit 3"}}},
          {{"name", "alpha"}, {"command", stdio_upstream_binary()}, {"args", {"alpha"}}}}}};
    dir.write("config.json", config.dump());
    const auto started = Clock::now();
    ProxyProcess proxy({"--config", (dir / "config.json").string()}, dir.path());
    ASSERT_TRUE(proxy.started()) << proxy.log();
    const auto management = [&](const std::string& path) {
        const auto r = http_request(proxy.port("management"), boost::beast::http::verb::get, path,
                                    {{"Authorization", std::string("Bearer ") + kAdminKey}});
        return Json::parse(r.body(), nullptr, false);
    };
    const auto crasher = [&] {
        const auto servers = management("/api/v1/servers");
        if (servers.is_array()) {
            for (const auto& s : servers) {
                if (s.value("name", "") == "crasher") return s;
            }
        }
        return Json();
    };
    const auto readyz_detail = [&] {
        const auto r = http_request(proxy.port(), boost::beast::http::verb::get, "/readyz");
        const auto body = Json::parse(r.body(), nullptr, false);
        if (!body.is_object() || !body.contains("degraded")) return std::string();
        for (const auto& d : body["degraded"]) {
            if (d.value("component", "") == "upstream:crasher") return d.value("detail", "");
        }
        return std::string();
    };

    ASSERT_TRUE(eventually([&] { return crasher().value("state", "") == "failed"; }, 10s))
        << crasher().dump() << proxy.log();
    ASSERT_TRUE(eventually([&] { return !readyz_detail().empty(); }, 5s)) << proxy.log();
    EXPECT_NE(readyz_detail().find("failed"), std::string::npos) << readyz_detail();

    // Let the loop run ~9 s: without back-off it would restart hundreds of times.
    std::this_thread::sleep_until(started + 9s);
    const auto status = crasher();
    const auto restarts = status.value("restarts", 0U);
    std::printf("[ fault    ] crash loop: %u restarts in 9 s; state %s; last error: %s\n", restarts,
                status.value("state", "").c_str(), status.value("last_error", "").c_str());
    EXPECT_GE(restarts, 2U) << status.dump();
    EXPECT_LE(restarts, 5U) << "0.5+1+2+4 s of back-off fit in 9 s: " << status.dump();
    EXPECT_NE(status.value("state", ""), "ready");
    EXPECT_FALSE(status.value("last_error", "").empty()) << status.dump();

    // The other upstream and the proxy are fine.
    const Json body = request_message(1, "tools/call",
                                      {{"name", "alpha__echo"}, {"arguments", {{"text", "hi"}}}});
    const auto reply = mcp_post(proxy.port(), body.dump(),
                                {{"MCP-Protocol-Version", kStatelessVersion},
                                 {"Mcp-Method", "tools/call"},
                                 {"Mcp-Name", "alpha__echo"}},
                                10s);
    ASSERT_FALSE(reply.messages.empty()) << proxy.log();
    EXPECT_EQ(first_text(reply.last()["result"]), "hi") << reply.last().dump();
    EXPECT_EQ(proxy.stop(), 0) << proxy.log();
}

}  // namespace
}  // namespace mcpproxy::test
