// Tunnel mode refuses unsafe setups before anything is bound: exit code != 0, exactly one
// "mcpproxy: ..." line that says what to do, no port file, and the chosen ports stay free.
#include <gtest/gtest.h>

#include "tests/integration/tunnel/tunnel_harness.hpp"

namespace mcpproxy::test::tunnel {
namespace {

std::string address(unsigned short port) {
    return "127.0.0.1:" + std::to_string(port);
}

class Refusal : public ::testing::Test {
protected:
    // Serves with config and expects a refusal whose one error line contains every needle.
    void expect_refused(const Json& config, const std::vector<std::string>& needles,
                        const std::vector<std::string>& args = {}) {
        const auto r = workspace.serve_to_completion(config, args);
        const auto output = r.out + r.err;
        EXPECT_NE(r.exit_code, 0) << output;
        EXPECT_NE(r.exit_code, 128 + 9) << "killed after the time limit: it did not refuse\n"
                                        << output;
        const auto lines = error_lines(r.err);
        ASSERT_EQ(lines.size(), 1U) << output;
        for (const auto& needle : needles)
            EXPECT_NE(lines[0].find(needle), std::string::npos) << lines[0];
        EXPECT_EQ(output.find("listening on"), std::string::npos) << output;
        EXPECT_EQ(output.find("mcp_agt_"), std::string::npos) << "no secret in the output";
        EXPECT_FALSE(std::filesystem::exists(workspace.path() / "refused-ports.json"));
        for (const auto port : ports)
            EXPECT_TRUE(port_is_free(port)) << "port " << port << " is bound";
    }

    Workspace workspace;
    std::vector<unsigned short> ports{pick_free_port(), pick_free_port()};
};

TEST_F(Refusal, TunnelModeWithoutAnAuthBridge) {
    expect_refused(
        {{"listen", address(ports[0])},
         {"plugins", Json::array()},
         {"tunnel", {{"enabled", true}}}},
        {"tunnel mode refuses to start", "no auth bridge", address(ports[0]), "--plugin"});
}

TEST_F(Refusal, TunnelModeFlagWithoutAnAuthBridge) {
    expect_refused({{"listen", address(ports[0])}, {"plugins", Json::array()}},
                   {"tunnel mode refuses to start", "no auth bridge"}, {"--tunnel-mode"});
}

TEST_F(Refusal, AnAuthBridgeButNoToken) {
    expect_refused({{"listen", address(ports[0])}, {"tunnel", {{"enabled", true}}}},
                   {"tunnel mode refuses to start", "no credential", "mcpproxy token create"});
}

TEST_F(Refusal, OnlyARevokedToken) {
    workspace.create_token("old");
    ASSERT_EQ(workspace.cli({"token", "revoke", "old"}).exit_code, 0);
    expect_refused({{"listen", address(ports[0])}, {"tunnel", {{"enabled", true}}}},
                   {"tunnel mode refuses to start", "no credential"});
}

TEST_F(Refusal, ManagementOnTheTunneledMainListener) {
    workspace.create_token("agent");
    expect_refused({{"listen", address(ports[0])},
                    {"tunnel", {{"enabled", true}}},
                    {"management", {{"listen", address(ports[0])}}}},
                   {"tunnel mode refuses to start", "management", "tunneled listener"});
}

TEST_F(Refusal, ManagementOnTheSeparateTunneledListener) {
    workspace.create_token("agent");
    expect_refused({{"listen", address(ports[0])}},
                   {"tunnel mode refuses to start", "management", address(ports[1])},
                   {"--tunnel-mode", "--tunnel-listen", address(ports[1]), "--management-listen",
                    address(ports[1])});
}

TEST_F(Refusal, ManagementOnTheLoopbackPortOfAWildcardTunneledListener) {
    workspace.create_token("agent");
    expect_refused(
        {{"listen", address(ports[0])},
         {"tunnel", {{"enabled", true}, {"listen", "0.0.0.0:" + std::to_string(ports[1])}}},
         {"management", {{"listen", address(ports[1])}}}},
        {"tunnel mode refuses to start", "management"});
}

TEST_F(Refusal, ManagementOnANonLoopbackAddress) {
    const auto wildcard = "0.0.0.0:" + std::to_string(ports[1]);
    expect_refused({{"listen", address(ports[0])}, {"management", {{"listen", wildcard}}}},
                   {"management listener", wildcard, "loopback"});
}

TEST_F(Refusal, ManagementOnANonLoopbackAddressInTunnelMode) {
    workspace.create_token("agent");
    expect_refused({{"listen", address(ports[0])}, {"tunnel", {{"enabled", true}}}},
                   {"management listener", "loopback"},
                   {"--management-listen", "0.0.0.0:" + std::to_string(ports[1])});
}

}  // namespace
}  // namespace mcpproxy::test::tunnel
