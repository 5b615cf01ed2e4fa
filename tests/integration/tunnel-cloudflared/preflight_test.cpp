// Each preflight failure refuses to start with one line that says what to do.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>

#include "tests/integration/tunnel-cloudflared/cloudflared_harness.hpp"

namespace mcpproxy::test::cloudflared {
namespace {
using tunnel::Workspace;

std::string refusal(const Workspace& ws, const std::string& plugin, const Json& plugin_config) {
    put_fakes_first_on_path();
    const auto r = ws.serve_to_completion(tunnel_config(plugin, plugin_config));
    EXPECT_NE(r.exit_code, 0) << r.err;
    const auto lines = tunnel::error_lines(r.err + r.out);
    EXPECT_EQ(lines.size(), 1U) << r.err;
    return lines.empty() ? r.err : lines.front();
}

TEST(Preflight, MissingBinary) {
    Workspace ws;
    ws.create_token("agent");
    const auto line = refusal(ws, "tunnel-cloudflared", {{"binary", "cloudflared-not-installed"}});
    EXPECT_NE(line.find("plugin tunnel-cloudflared: cloudflared-not-installed was not found on "
                        "PATH; install cloudflared"),
              std::string::npos)
        << line;
    EXPECT_NE(line.find("\"binary\""), std::string::npos) << line;
}

TEST(Preflight, BinaryPathThatIsNotAProgram) {
    Workspace ws;
    ws.create_token("agent");
    const auto file = ws.path() / "cloudflared.txt";
    std::ofstream(file) << "not a program\n";
    const auto line = refusal(ws, "tunnel-cloudflared", {{"binary", file.string()}});
    EXPECT_NE(line.find("cloudflared at " + file.string() + " is not an executable file"),
              std::string::npos)
        << line;
}

TEST(Preflight, VersionThatFails) {
    Workspace ws;
    ws.create_token("agent");
    const auto script = ws.path() / "broken-cloudflared";
    {
        std::ofstream out(script);
        out << "#!/bin/sh\necho 'segmentation fault' >&2\nexit 3\n";
    }
    ::chmod(script.c_str(), 0755);
    const auto line = refusal(ws, "tunnel-cloudflared", {{"binary", script.string()}});
    EXPECT_NE(line.find("--version` failed (exit code 3: segmentation fault)"), std::string::npos)
        << line;
}

TEST(Preflight, NotCloudflared) {
    Workspace ws;
    ws.create_token("agent");
    const auto line = refusal(ws, "tunnel-cloudflared", {{"binary", "/bin/true"}});
    EXPECT_NE(line.find("did not print a cloudflared version"), std::string::npos) << line;
}

TEST(Preflight, NamedTunnelWithoutToken) {
    Workspace ws;
    ws.create_token("agent");
    ::unsetenv("TUNNEL_TOKEN");
    const auto line = refusal(ws, "tunnel-cloudflared", {{"hostname", "mcp.example.com"}});
    EXPECT_NE(line.find("a named tunnel needs its token: set TUNNEL_TOKEN"), std::string::npos)
        << line;
}

TEST(Preflight, NamedTunnelWithAMalformedToken) {
    Workspace ws;
    ws.create_token("agent");
    const auto line =
        refusal(ws, "tunnel-cloudflared",
                {{"hostname", "mcp.example.com"}, {"token", "not-a-cloudflare-token"}});
    EXPECT_NE(line.find("the tunnel token is not valid"), std::string::npos) << line;
    EXPECT_EQ(line.find("not-a-cloudflare-token"), std::string::npos)
        << "the token is echoed: " << line;
}

TEST(Preflight, NamedTunnelWithoutHostname) {
    Workspace ws;
    ws.create_token("agent");
    const auto line =
        refusal(ws, "tunnel-cloudflared", {{"mode", "named"}, {"token", well_formed_token()}});
    EXPECT_NE(line.find("a named tunnel needs \"hostname\""), std::string::npos) << line;
}

TEST(Preflight, UnknownConfigKey) {
    Workspace ws;
    ws.create_token("agent");
    const auto line = refusal(ws, "tunnel-cloudflared", {{"hostnmae", "x"}});
    EXPECT_NE(line.find("unknown config key \"hostnmae\""), std::string::npos) << line;
}

TEST(Preflight, AnthropicWithoutDomain) {
    Workspace ws;
    ws.create_token("agent");
    const auto line = refusal(ws, "tunnel-anthropic", {{"token", well_formed_token()}});
    EXPECT_NE(line.find("set the plugin's \"domain\""), std::string::npos) << line;
}

}  // namespace
}  // namespace mcpproxy::test::cloudflared
