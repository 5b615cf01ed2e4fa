// `mcpproxy doctor` on the tunnel daemons, with tests/fakes first on PATH: each configured
// adapter's daemon version (as the real CLIs print it), a missing daemon, and one older than the
// adapter supports.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include "tests/integration/mcp/mcp_http.hpp"
#include "tests/support/proxy_process.hpp"
#include "tests/support/temp_dir.hpp"

namespace mcpproxy::test {
namespace {

class DoctorTunnelTest : public ::testing::Test {
protected:
    TempDir dir;

    static void SetUpTestSuite() {
        const char* path = std::getenv("PATH");
        const std::string rest = path != nullptr ? path : "/usr/bin:/bin";
        ::setenv("PATH", (std::string(MCPPROXY_FAKES_DIR) + ":" + rest).c_str(), 1);
    }

    // doctor -o json with tunnel mode on and `plugin` configured with `settings`; returns the
    // adapter's check and the exit code.
    std::pair<Json, int> doctor(const std::string& plugin, const Json& settings,
                                const std::vector<std::string>& env = {}) {
        const auto data = dir / "data";
        std::filesystem::create_directories(data);
        std::filesystem::permissions(data, std::filesystem::perms::owner_all);
        const Json config{{"listen", "127.0.0.1:0"},
                          {"tunnel", {{"enabled", true}}},
                          {"plugins", Json::array({Json{{"name", plugin}, {"config", settings}}})}};
        dir.write("c.json", config.dump());
        const auto r = run_mcpproxy({"doctor", "-o", "json", "--config", (dir / "c.json").string(),
                                     "--data-dir", data.string()},
                                    std::chrono::seconds(60), env);
        Json report;
        try {
            report = Json::parse(r.out);
        } catch (const std::exception&) {
            ADD_FAILURE() << "not JSON: " << r.out << r.err;
            return {Json(), r.exit_code};
        }
        for (const auto& c : report["checks"]) {
            if (c["check"] == "tunnel:" + plugin) return {c, r.exit_code};
        }
        ADD_FAILURE() << "no tunnel:" << plugin << " check in " << report.dump(2);
        return {Json(), r.exit_code};
    }
};

std::string text(const Json& check, const char* key) {
    return check.contains(key) ? check[key].get<std::string>() : std::string();
}

// The daemon's binary as the adapter found it: an absolute path ending in the program's name.
void expect_daemon_path(const Json& check, const std::string& program) {
    const std::filesystem::path path = text(check, "path");
    EXPECT_TRUE(path.is_absolute()) << check.dump(2);
    EXPECT_EQ(path.filename(), program) << check.dump(2);
    EXPECT_NE(text(check, "detail").find(" at " + path.string()), std::string::npos)
        << check.dump(2);
}

TEST_F(DoctorTunnelTest, ShowsTheCloudflaredVersion) {
    const auto [check, code] =
        doctor("tunnel-cloudflared", Json::object(), {"FAKE_CLOUDFLARED_VERSION=2024.11.1"});
    EXPECT_EQ(check["status"], "ok") << check.dump(2);
    EXPECT_EQ(check["version"], "2024.11.1") << check.dump(2);
    EXPECT_NE(text(check, "detail").find("2024.11.1"), std::string::npos);
    expect_daemon_path(check, "cloudflared");
}

TEST_F(DoctorTunnelTest, MissingCloudflaredSaysHowToInstallIt) {
    const auto [check, code] =
        doctor("tunnel-cloudflared", Json{{"binary", "no-such-cloudflared"}});
    EXPECT_EQ(code, 1);
    EXPECT_EQ(check["status"], "fail") << check.dump(2);
    EXPECT_FALSE(check.contains("version"));
    EXPECT_FALSE(check.contains("path"));
    EXPECT_NE(text(check, "detail").find("was not found on PATH; install cloudflared"),
              std::string::npos)
        << check.dump(2);
    EXPECT_NE(text(check, "fix").find("install"), std::string::npos);
}

TEST_F(DoctorTunnelTest, AnthropicAdapterShowsItsCloudflared) {
    const auto [check, code] = doctor("tunnel-anthropic", Json{{"domain", "t.example.com"}},
                                      {"FAKE_CLOUDFLARED_VERSION=2024.8.2"});
    // No tunnel token here: preflight fails after the daemon was found, and says so.
    EXPECT_EQ(code, 1);
    EXPECT_EQ(check["version"], "2024.8.2") << check.dump(2);
    expect_daemon_path(check, "cloudflared");
    EXPECT_NE(text(check, "detail").find("TUNNEL_TOKEN"), std::string::npos) << check.dump(2);
}

TEST_F(DoctorTunnelTest, TailscaleOlderThanTheAdapterNeedsFails) {
    const auto [check, code] =
        doctor("tunnel-tailscale", Json::object(), {"FAKE_TAILSCALE_VERSION=1.50.1"});
    EXPECT_EQ(code, 1);
    EXPECT_EQ(check["status"], "fail") << check.dump(2);
    EXPECT_EQ(check["version"], "1.50.1");
    expect_daemon_path(check, "tailscale");
    EXPECT_NE(text(check, "detail").find("1.52 or newer"), std::string::npos) << check.dump(2);
}

TEST_F(DoctorTunnelTest, ShowsTheTailscaleVersionWhenTailscaledIsDown) {
    const auto [check, code] =
        doctor("tunnel-tailscale", Json{{"socket", (dir / "none.sock").string()}},
               {"FAKE_TAILSCALE_VERSION=1.76.6"});
    EXPECT_EQ(code, 1);
    EXPECT_EQ(check["status"], "fail") << check.dump(2);
    EXPECT_EQ(check["version"], "1.76.6");
    EXPECT_NE(text(check, "detail").find("tailscaled"), std::string::npos) << check.dump(2);
}

TEST_F(DoctorTunnelTest, ShowsTheNgrokVersion) {
    const auto [check, code] = doctor("tunnel-ngrok", Json::object(),
                                      {"FAKE_NGROK_VERSION=3.18.4", "NGROK_AUTHTOKEN=doctor-test"});
    EXPECT_EQ(check["status"], "ok") << check.dump(2);
    EXPECT_EQ(check["version"], "3.18.4");
    expect_daemon_path(check, "ngrok");
}

TEST_F(DoctorTunnelTest, NgrokV2IsRefused) {
    const auto [check, code] = doctor("tunnel-ngrok", Json::object(),
                                      {"FAKE_NGROK_VERSION=2.3.41", "NGROK_AUTHTOKEN=doctor-test"});
    EXPECT_EQ(code, 1);
    EXPECT_EQ(check["status"], "fail") << check.dump(2);
    EXPECT_EQ(check["version"], "2.3.41");
    EXPECT_NE(text(check, "detail").find("v3 agent"), std::string::npos);
}

}  // namespace
}  // namespace mcpproxy::test
