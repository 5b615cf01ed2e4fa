// tunnel-ngrok against the real binary and the fake ngrok v3 agent.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>

#include <fstream>
#include <sstream>

#include "tests/integration/tunnel-tailscale/adapter_harness.hpp"
#include "tests/integration/tunnel/tunnel_harness.hpp"

namespace mcpproxy::test::adapters {
namespace {
namespace http = boost::beast::http;
using namespace std::chrono_literals;
using tunnel::Workspace;

constexpr const char* kToken = "2abcDEFghiJKLmnoPQRstuVWXyz_0123456789abcd";

std::string read_file(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

class NgrokAdapter : public ::testing::Test {
protected:
    void SetUp() override {
        put_fakes_first_on_path();
        state_ = workspace_.path() / "ngrok-state";
        token_ = workspace_.create_token("agent");
    }

    Json config(Json plugin = Json::object()) {
        if (!plugin.contains("poll_interval_ms")) plugin["poll_interval_ms"] = 200;
        return {{"tunnel", {{"enabled", true}, {"require_ready", true}}},
                {"routing_mode", "direct"},
                {"plugins", Json::array({"auth-agent-token",
                                         Json{{"name", "tunnel-ngrok"}, {"config", plugin}}})},
                {"mcpServers", Json::array({Json{{"name", "alpha"},
                                                 {"command", TEST_STDIO_UPSTREAM},
                                                 {"args", Json::array({"alpha"})}}})}};
    }

    std::unique_ptr<ProxyProcess> start(const Json& cfg, std::vector<std::string> env = {}) {
        env.push_back("FAKE_NGROK_DIR=" + state_.string());
        auto p = std::make_unique<ProxyProcess>(
            std::vector<std::string>{"--config", workspace_.write_config(cfg).string()},
            workspace_.path(), env);
        if (!p->started()) ADD_FAILURE() << "mcpproxy did not start:\n" << p->log();
        return p;
    }

    std::vector<std::string> with_token(std::vector<std::string> env = {}) {
        env.push_back(std::string("NGROK_AUTHTOKEN=") + kToken);
        return env;
    }

    std::optional<Json> edge(const std::string& not_url = {}) {
        return wait_json_file(state_ / "edge.json", [&](const Json& j) {
            return j.value("port", 0) != 0 && j.value("url", std::string()) != not_url;
        });
    }

    static bool healthz(unsigned short port, int status) {
        return healthz_becomes(port, status, 15s);
    }

    Json tunnel_status(const std::function<bool(const Json&)>& check) {
        return first_tunnel_status(workspace_, check);
    }

    Workspace workspace_;
    std::filesystem::path state_;
    std::string token_;
};

TEST_F(NgrokAdapter, ReportsTheUrlServesAToolCallAndLeavesNoAgentBehind) {
    auto proxy = start(config(), with_token());
    ASSERT_TRUE(healthz(proxy->port(), 200)) << proxy->log();
    const auto e = edge();
    ASSERT_TRUE(e) << proxy->log();
    const auto url = (*e)["url"].get<std::string>();
    EXPECT_TRUE(eventually([&] { return log_has(proxy->log(), "public URL is now " + url); }))
        << proxy->log();

    const auto call =
        mcp_tool_call((*e)["port"], tunnel::bearer(token_), "alpha__echo", {{"text", "via ngrok"}});
    ASSERT_EQ(call.result_int(), 200) << call.body() << proxy->log();
    EXPECT_NE(call.body().find("via ngrok"), std::string::npos);
    EXPECT_EQ(mcp_tool_call((*e)["port"], {}, "alpha__echo", {{"text", "x"}}).result_int(), 401);

    // The token is in the agent's environment only: not in its argv, the config file or our log.
    const pid_t agent = (*e)["pid"];
    const auto cmdline = read_file("/proc/" + std::to_string(agent) + "/cmdline");
    EXPECT_NE(cmdline.find("--log-format"), std::string::npos);
    EXPECT_EQ(cmdline.find(kToken), std::string::npos);
    const auto yml = std::filesystem::path(workspace_.data_dir()) / "tunnel-ngrok" / "ngrok.yml";
    struct stat st {};
    ASSERT_EQ(::stat(yml.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600U);
    EXPECT_EQ(read_file(yml).find(kToken), std::string::npos);
    EXPECT_NE(read_file(yml).find("web_addr: 127.0.0.1:"), std::string::npos);

    EXPECT_EQ(proxy->stop(), 0) << proxy->log();
    EXPECT_TRUE(eventually([&] { return !pid_alive(agent); }, 5s)) << "ngrok outlived mcpproxy";
    EXPECT_EQ(proxy->log().find(kToken), std::string::npos);
}

TEST_F(NgrokAdapter, RestartsAKilledAgentAndReportsItsNewUrl) {
    auto proxy = start(config(), with_token());
    ASSERT_TRUE(healthz(proxy->port(), 200)) << proxy->log();
    const auto first = edge();
    ASSERT_TRUE(first);
    const auto old_url = (*first)["url"].get<std::string>();
    ::kill((*first)["pid"].get<pid_t>(), SIGKILL);

    const auto second = edge(old_url);
    ASSERT_TRUE(second) << proxy->log();
    const auto new_url = (*second)["url"].get<std::string>();
    EXPECT_TRUE(eventually([&] { return log_has(proxy->log(), "public URL is now " + new_url); }))
        << proxy->log();
    ASSERT_TRUE(healthz(proxy->port(), 200)) << proxy->log();
    EXPECT_EQ(
        mcp_tool_call((*second)["port"], tunnel::bearer(token_), "alpha__echo", {{"text", "again"}})
            .result_int(),
        200);
    EXPECT_EQ(proxy->stop(), 0);
    EXPECT_TRUE(eventually([&] { return !pid_alive((*second)["pid"].get<pid_t>()); }, 5s));
}

TEST_F(NgrokAdapter, RefusesToStartWithoutAnAuthtoken) {
    const auto r = workspace_.serve_to_completion(config());
    EXPECT_NE(r.exit_code, 0);
    EXPECT_NE((r.out + r.err).find("NGROK_AUTHTOKEN"), std::string::npos) << r.out << r.err;
    EXPECT_NE((r.out + r.err).find("ERR_NGROK_4018"), std::string::npos) << r.out << r.err;
}

struct ErrorCase {
    const char* knob;
    const char* words;
};

class NgrokErrors : public NgrokAdapter, public ::testing::WithParamInterface<ErrorCase> {};

TEST_P(NgrokErrors, AreExplainedInPlainWordsAndKeepTheTunnelNotReady) {
    auto env = with_token({std::string("FAKE_NGROK_ERROR=") + GetParam().knob});
    auto proxy = start(config(), env);
    EXPECT_TRUE(eventually([&] { return log_has(proxy->log(), GetParam().words); }, 10s))
        << proxy->log();
    EXPECT_TRUE(log_has(proxy->log(), std::string("ERR_NGROK_") + GetParam().knob));
    EXPECT_EQ(http_request(proxy->port(), http::verb::get, "/healthz").result_int(), 503);
    const auto status =
        tunnel_status([](const Json& t) { return t.value("state", "") == "failed"; });
    EXPECT_NE(status.value("detail", "").find(GetParam().words), std::string::npos)
        << status.dump();
    EXPECT_EQ(proxy->log().find(kToken), std::string::npos) << "the token leaked into the log";
    EXPECT_EQ(proxy->stop(), 0);
}

INSTANTIATE_TEST_SUITE_P(Codes, NgrokErrors,
                         ::testing::Values(ErrorCase{"4018", "no authtoken was given"},
                                           ErrorCase{"105", "not a valid ngrok authtoken"},
                                           ErrorCase{"108",
                                                     "another ngrok agent is already online"},
                                           ErrorCase{"334", "the same URL is already online"}),
                         [](const ::testing::TestParamInfo<ErrorCase>& p) {
                             return std::string("ERR_NGROK_") + p.param.knob;
                         });

TEST_F(NgrokAdapter, EdgeAuthCheckWritesAPrivateTrafficPolicyAndPassesIt) {
    auto proxy = start(config({{"edge_auth_check", true}}), with_token());
    ASSERT_TRUE(healthz(proxy->port(), 200)) << proxy->log();
    const auto policy =
        std::filesystem::path(workspace_.data_dir()) / "tunnel-ngrok" / "traffic-policy.yml";
    struct stat st {};
    ASSERT_EQ(::stat(policy.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600U);
    EXPECT_NE(read_file(policy).find("on_http_request"), std::string::npos);
    const auto e = edge();
    ASSERT_TRUE(e);
    EXPECT_EQ((*e)["traffic_policy"], policy.string());
}

}  // namespace
}  // namespace mcpproxy::test::adapters
