// Many sessions at once against several upstreams: every reply belongs to its own request.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "tests/integration/mcp/mcp_http.hpp"
#include "tests/integration/mcp/mcp_proxy.hpp"

namespace mcpproxy::test {
namespace {

TEST(ConcurrentSessionsTest, FiftySessionsAgainstThreeUpstreamsNeverSeeEachOthersReplies) {
    const std::vector<std::string> servers{"alpha", "beta", "gamma"};
    McpProxy proxy({.routing_mode = "direct", .upstreams = servers});
    ASSERT_TRUE(proxy.ready()) << proxy.log();

    constexpr int kSessions = 50;
    constexpr int kRounds = 4;
    std::atomic<int> ok{0};
    std::vector<std::string> failures(kSessions);
    std::vector<std::thread> threads;
    for (int s = 0; s < kSessions; ++s) {
        threads.emplace_back([&, s] {
            try {
                McpSession session(proxy.port(), s % 2 == 0 ? "2025-11-25" : "2025-06-18");
                for (int round = 0; round < kRounds; ++round) {
                    for (std::size_t u = 0; u < servers.size(); ++u) {
                        // Each session starts on a different upstream so all three are busy at
                        // once.
                        const auto& server = servers[(s + u) % servers.size()];
                        const auto who = session.call_tool(server + "__whoami");
                        if (!who.contains("result") || first_text(who["result"]) != server) {
                            failures[s] = "whoami on " + server + " -> " + who.dump();
                            return;
                        }
                        const std::string payload = "session " + std::to_string(s) + " round " +
                                                    std::to_string(round) + " via " + server;
                        // A varying delay makes the upstream answer out of order.
                        const auto echo = session.call_tool(
                            server + "__echo",
                            {{"text", payload}, {"delay_ms", (s * 7 + round) % 23}});
                        if (!echo.contains("result") || first_text(echo["result"]) != payload) {
                            failures[s] = "echo " + payload + " -> " + echo.dump();
                            return;
                        }
                        ok += 2;
                    }
                }
            } catch (const std::exception& e) {
                failures[s] = e.what();
            }
        });
    }
    for (auto& t : threads) t.join();
    for (int s = 0; s < kSessions; ++s)
        EXPECT_TRUE(failures[s].empty()) << "session " << s << ": " << failures[s];
    EXPECT_EQ(ok.load(), kSessions * kRounds * static_cast<int>(servers.size()) * 2);
}

}  // namespace
}  // namespace mcpproxy::test
