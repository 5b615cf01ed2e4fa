// Forwarding headers are believed only from the tunnel's own connection. With nothing trusted
// (tunnel.trusted_proxies: []), a loopback peer is just another client and its spoofed headers
// are ignored: the activity log records the TCP peer.
#include <gtest/gtest.h>

#include "tests/integration/tunnel/tunnel_harness.hpp"

namespace mcpproxy::test::tunnel {
namespace {

TEST(ForwardedAddress, SpoofedHeadersFromAnUntrustedPeerAreIgnored) {
    Workspace workspace;
    const auto secret = workspace.create_token("spoofer");
    RunningProxy proxy(workspace,
                       {{"tunnel", {{"enabled", true}, {"trusted_proxies", Json::array()}}},
                        {"management", {{"listen", "127.0.0.1:0"}}}});
    proxy.wait_ready();
    const auto key = admin_key(workspace);
    ASSERT_EQ(mcp_initialize(proxy.main_port(), {{"Authorization", "Bearer " + secret},
                                                 {"Cf-Connecting-IP", "203.0.113.99"}})
                  .result_int(),
              200);
    ASSERT_EQ(mcp_initialize(proxy.main_port(), {{"Authorization", "Bearer " + secret},
                                                 {"X-Forwarded-For", "198.51.100.99"}})
                  .result_int(),
              200);
    // A failed login is recorded under the peer too, so spoofing cannot dodge the login limit.
    ASSERT_EQ(
        mcp_initialize(proxy.main_port(), {{"Cf-Connecting-IP", "203.0.113.98"}}).result_int(),
        401);
    const auto records = poll_activity(proxy.management_port(), key, "limit=100",
                                       [](const Json& rs) { return rs.size() >= 3; });
    ASSERT_GE(records.size(), 3U) << records.dump(1);
    for (const auto& r : records) {
        EXPECT_EQ(r.at("client_address"), "127.0.0.1") << r.dump();
    }
}

}  // namespace
}  // namespace mcpproxy::test::tunnel
