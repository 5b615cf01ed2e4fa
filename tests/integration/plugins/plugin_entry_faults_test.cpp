// A plugin throwing from each of its entry points, in the real binary (issue 9, tests/plugins/
// faulty_plugin.cpp). At run time the proxy stays up and keeps serving /healthz and /mcp, the
// plugin shows as failed (management status and /readyz "degraded"), the error is logged once
// with the plugin's name however often the call fails, and a throwing route answers 500 with a
// JSON body that says nothing of the exception. At start-up a throw refuses the start with one
// error line naming the plugin, as every start-up error does; the CLI command and doctor fail
// with a message naming the plugin, never a crash.
#include <gtest/gtest.h>

#include "tests/integration/tunnel/tunnel_harness.hpp"

namespace mcpproxy::test::tunnel {
namespace {
namespace http = boost::beast::http;
using namespace std::chrono_literals;

constexpr const char* kSecret = "hunter2";  // in every exception the plugin throws

std::string test_plugin_dir() {
    return (build_dir() / "test-plugins").string();
}

// Tunnel mode on the main listener (so verify_request is asked), management on its own, and an
// HTTP upstream (nothing listens there) so that the kernel asks for its credentials.
Json faulty_config(const std::string& throw_in) {
    const Json servers = Json::array({Json{{"name", "web"}, {"url", "http://127.0.0.1:9/mcp"}}});
    return Json{
        {"plugins_dir", test_plugin_dir()},
        {"mcpServers", servers},
        {"plugins",
         Json::array({Json{{"name", "test-faulty"}, {"config", {{"throw_in", throw_in}}}}})},
        {"tunnel", {{"enabled", true}}},
        {"management", {{"listen", "127.0.0.1:0"}}}};
}

const Headers kCredential{{"Authorization", "Bearer fault-ok"}};

struct RunTimeFault {
    std::string throw_in;
    std::string logged;  // the entry point as the log line names it
};

// Test names and ctest entries show the fault, not the struct's bytes.
void PrintTo(const RunTimeFault& f, std::ostream* os) {
    *os << f.throw_in;
}

class RunTimeFaults : public ::testing::TestWithParam<RunTimeFault> {
protected:
    void SetUp() override {
        proxy_ = std::make_unique<RunningProxy>(workspace_, faulty_config(GetParam().throw_in));
        proxy_->wait_ready();
        key_ = admin_key(workspace_);
    }

    // Calls the entry point that throws; returns the response it produced.
    HttpResponse trigger() {
        const auto& t = GetParam().throw_in;
        if (t == "verify_request") return mcp_initialize(proxy_->main_port(), kCredential);
        if (t == "health")
            return management(proxy_->management_port(), http::verb::get, "/api/v1/status", key_);
        if (t == "headers_for")  // asked at every connection attempt to the upstream
            return management(proxy_->management_port(), http::verb::get, "/api/v1/servers", key_);
        if (t == "well_known")
            return http_request(proxy_->main_port(), http::verb::get, "/.well-known/faulty");
        return management(proxy_->management_port(), http::verb::get, "/api/v1/faulty", key_);
    }

    Json plugin_status() {
        const auto r =
            management(proxy_->management_port(), http::verb::get, "/api/v1/status", key_);
        EXPECT_EQ(r.result_int(), 200) << r.body();
        const auto body = Json::parse(r.body());
        for (const auto& p : body.at("plugins")) {
            if (p.at("name") == "test-faulty") return p;
        }
        ADD_FAILURE() << "test-faulty not in " << r.body();
        return Json::object();
    }

    Workspace workspace_;
    std::unique_ptr<RunningProxy> proxy_;
    std::string key_;
};

TEST_P(RunTimeFaults, TheProxyStaysUpThePluginIsFailedAndTheErrorIsLoggedOnce) {
    const auto& fault = GetParam();
    for (int i = 0; i < 5; ++i) {
        const auto r = trigger();
        if (fault.throw_in != "health") {  // the status shows the operator why (below)
            EXPECT_EQ(r.body().find(kSecret), std::string::npos) << r.body();
            EXPECT_EQ(r.body().find("broke"), std::string::npos) << r.body();
        }
        if (fault.throw_in == "verify_request") {
            // A throwing adapter says no: the request did not provably come through its tunnel.
            EXPECT_EQ(r.result_int(), 403) << r.body();
            EXPECT_EQ(Json::parse(r.body()).at("error"), "not_from_tunnel") << r.body();
        } else if (fault.throw_in == "health" || fault.throw_in == "headers_for") {
            EXPECT_EQ(r.result_int(), 200) << r.body();
        } else {
            EXPECT_EQ(r.result_int(), 500) << r.body();
            EXPECT_EQ(r[http::field::content_type], "application/json");
            EXPECT_EQ(Json::parse(r.body()).at("error"), "plugin_error") << r.body();
        }
    }

    // Still serving.
    EXPECT_EQ(http_request(proxy_->main_port(), http::verb::get, "/healthz").result_int(), 200);
    if (fault.throw_in != "verify_request") {
        EXPECT_EQ(mcp_list_tools(proxy_->main_port(), kCredential).result_int(), 200)
            << proxy_->log();
    }

    // Shown as failed, with the reason, to the operator.
    const auto status = plugin_status();
    EXPECT_TRUE(status.value("failed", false)) << status.dump();
    EXPECT_NE(status.value("error", "").find(fault.logged + " failed"), std::string::npos)
        << status.dump();
    const auto readyz = http_request(proxy_->management_port(), http::verb::get, "/readyz");
    EXPECT_EQ(readyz.result_int(), 200) << readyz.body();  // degraded, still ready
    bool degraded = false;
    const auto readiness = Json::parse(readyz.body());
    for (const auto& d : readiness.at("degraded"))
        degraded = degraded || d.at("component") == "plugin:test-faulty";
    EXPECT_TRUE(degraded) << readyz.body();

    EXPECT_EQ(proxy_->process().stop(), 0) << proxy_->log();
    const auto log = proxy_->log();
    EXPECT_EQ(count_lines_with(log, "plugin test-faulty: " + fault.logged + " failed"), 1U) << log;
}

INSTANTIATE_TEST_SUITE_P(EntryPoints, RunTimeFaults,
                         ::testing::Values(RunTimeFault{"verify_request", "verify_request()"},
                                           RunTimeFault{"health", "health_detail()"},
                                           RunTimeFault{"route", "route /api/v1/faulty"},
                                           RunTimeFault{"non_std_route", "route /api/v1/faulty"},
                                           RunTimeFault{"well_known", "route /.well-known/faulty"},
                                           RunTimeFault{"headers_for",
                                                        "upstream credentials headers_for"}),
                         [](const auto& info) { return info.param.throw_in; });

struct StartUpFault {
    std::string throw_in;
    std::string message;  // what the one error line says after "plugin test-faulty: "
};

// Test names and ctest entries show the fault, not the struct's bytes.
void PrintTo(const StartUpFault& f, std::ostream* os) {
    *os << f.throw_in;
}

class StartUpFaults : public ::testing::TestWithParam<StartUpFault> {};

TEST_P(StartUpFaults, RefuseTheStartWithOneLineNamingThePlugin) {
    Workspace workspace;
    const auto r = workspace.serve_to_completion(faulty_config(GetParam().throw_in));
    EXPECT_EQ(r.exit_code, 1) << r.err;  // an orderly refusal, not a crash
    const auto errors = error_lines(r.err);
    ASSERT_EQ(errors.size(), 1U) << r.err;
    EXPECT_NE(errors[0].find("plugin test-faulty: " + GetParam().message), std::string::npos)
        << errors[0];
}

INSTANTIATE_TEST_SUITE_P(
    EntryPoints, StartUpFaults,
    ::testing::Values(
        StartUpFault{"auth_bridge", "failed to start: auth_bridge() failed: faulty auth_bridge"},
        StartUpFault{"tunnel_adapter",
                     "failed to start: tunnel_adapter() failed: faulty tunnel_adapter"},
        StartUpFault{"upstream_credentials",
                     "failed to start: upstream_credentials() failed: faulty upstream_credentials"},
        StartUpFault{"provider", "faulty provider broke"},
        StartUpFault{"preflight", "faulty preflight broke"},
        StartUpFault{"start_tunnel", "cannot start the tunnel: faulty start_tunnel broke"}),
    [](const auto& info) { return info.param.throw_in; });

// credential_names() and setup_hint() are asked when tunnel mode checks who could get in. A throw
// counts as "no credential" (logged once, naming the plugin) and "no hint": the start is refused
// with the generic advice, in one line.
TEST(PluginEntryFaults, ThrowingCredentialNamesOrSetupHintRefuseTheTunnelCleanly) {
    for (const std::string throw_in : {"credential_names", "setup_hint"}) {
        Workspace workspace;
        const auto r = workspace.serve_to_completion(faulty_config(throw_in));
        EXPECT_EQ(r.exit_code, 1) << throw_in << ": " << r.err;
        const auto errors = error_lines(r.err);
        ASSERT_EQ(errors.size(), 1U) << r.err;
        EXPECT_NE(errors[0].find("no credential exists"), std::string::npos) << errors[0];
        // The bridge's own hint when it answers, else the generic one.
        const std::string hint = throw_in == "setup_hint"
                                     ? "create a credential with your auth bridge first"
                                     : "run `mcpproxy faulty`";
        EXPECT_NE(errors[0].find(hint), std::string::npos) << errors[0];
        const auto logged =
            count_lines_with(r.err, "plugin test-faulty: credential_names() failed");
        EXPECT_EQ(logged, throw_in == "credential_names" ? 1U : 0U) << r.err;
    }
}

TEST(PluginEntryFaults, AThrowingCommandFailsWithOneLineNamingThePlugin) {
    TempDir dir;
    const auto r = run_mcpproxy(
        {"faulty", "--plugins-dir", test_plugin_dir(), "--data-dir", (dir / "d").string()});
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_EQ(count_lines_with(r.err,
                               "error: plugin test-faulty: `faulty` failed: faulty command "
                               "broke"),
              1U)
        << r.err;
}

// An adapter misusing TunnelEvents: 400 reports from four threads at once, states flapping,
// details and URLs of junk up to 64 KiB. The proxy keeps serving, the status shown everywhere is
// plain text of a sane length, and the log gets a warning per 5 s of flapping, not hundreds.
TEST(PluginEntryFaults, TunnelEventsMisuseLeavesTheProxyServingAndTheStatusPlain) {
    Workspace workspace;
    auto config = faulty_config("events_misuse");
    config["tunnel"]["require_ready"] = false;
    RunningProxy proxy(workspace, config);
    proxy.wait_ready();
    EXPECT_EQ(mcp_list_tools(proxy.main_port(), kCredential).result_int(), 200) << proxy.log();

    const auto key = admin_key(workspace);
    const auto r = management(proxy.management_port(), http::verb::get, "/api/v1/status", key);
    ASSERT_EQ(r.result_int(), 200) << r.body();
    const auto status = Json::parse(r.body());  // throws on invalid UTF-8
    ASSERT_EQ(status.at("tunnels").size(), 1U) << r.body();
    const auto& tunnel = status["tunnels"][0];
    EXPECT_EQ(tunnel.at("state"), "failed");
    EXPECT_LE(tunnel.at("detail").get<std::string>().size(), 1024U);
    EXPECT_LE(tunnel.at("public_url").get<std::string>().size(), 512U);
    for (const char c : tunnel.at("detail").get<std::string>())
        EXPECT_FALSE(static_cast<unsigned char>(c) < 0x20) << "a control character in the detail";

    // The status file behind `mcpproxy tunnel status` was written too.
    const auto cli = workspace.cli({"tunnel", "status", "-o", "json"});
    const auto shown = Json::parse(cli.out, nullptr, false);
    ASSERT_FALSE(shown.is_discarded()) << cli.out << cli.err;
    ASSERT_FALSE(shown.at("tunnels").empty()) << cli.out;
    EXPECT_EQ(shown["tunnels"][0].at("state"), "failed") << cli.out;

    EXPECT_EQ(proxy.process().stop(), 0) << proxy.log();
    EXPECT_LE(count_lines_with(proxy.log(), "warning [kernel] tunnel "), 4U) << proxy.log();
}

TEST(PluginEntryFaults, DoctorReportsAThrowingDaemonCheckAsFailed) {
    Workspace workspace;
    const auto config = workspace.write_config(faulty_config("daemon"));
    const auto r = workspace.cli({"doctor", "-o", "json", "--config", config.string()});
    EXPECT_TRUE(r.exit_code == 0 || r.exit_code == 1) << r.exit_code << r.err;
    const auto report = Json::parse(r.out);
    bool found = false;
    for (const auto& c : report.at("checks")) {
        if (c.at("check") != "tunnel:test-faulty") continue;
        found = true;
        EXPECT_EQ(c.at("status"), "fail") << c.dump();
        EXPECT_NE(c.value("detail", "").find("faulty daemon broke"), std::string::npos) << c.dump();
    }
    EXPECT_TRUE(found) << report.dump(2);
}

}  // namespace
}  // namespace mcpproxy::test::tunnel
