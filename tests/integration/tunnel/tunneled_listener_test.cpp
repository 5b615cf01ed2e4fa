// A proxy in tunnel mode with a separate management listener: what the tunneled listener answers,
// who it lets in, the banner, and the management API with and without the admin key.
#include <gtest/gtest.h>

#include <sstream>

#include "tests/integration/tunnel/tunnel_harness.hpp"

namespace mcpproxy::test::tunnel {
namespace {
namespace http = boost::beast::http;

// Sends bytes and returns everything the server wrote until it closed the connection (for HEAD,
// whose response a generic client parser would wait on for a body).
std::string raw_exchange(unsigned short port, const std::string& request) {
    boost::asio::io_context io;
    boost::asio::ip::tcp::socket socket(io);
    socket.connect({boost::asio::ip::make_address("127.0.0.1"), port});
    boost::asio::write(socket, boost::asio::buffer(request));
    std::string out;
    boost::system::error_code ec;
    boost::asio::read(socket, boost::asio::dynamic_buffer(out), ec);
    return out;
}

class TunneledListener : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        workspace_ = new Workspace;
        agent_secret_ = workspace_->create_token("agent");
        workspace_->create_token("ci-bot", {"--permissions", "read,write"});
        // Far more failed logins than these tests make, so no 429 hides a 401.
        proxy_ =
            new RunningProxy(*workspace_, {{"tunnel", {{"enabled", true}}},
                                           {"management", {{"listen", "127.0.0.1:0"}}},
                                           {"rate_limits", {{"auth_failures_per_minute", 1000}}}});
        proxy_->wait_ready();
        admin_key_ = admin_key(*workspace_);
    }
    static void TearDownTestSuite() {
        delete proxy_;
        delete workspace_;
    }

    static unsigned short tunneled() { return proxy_->main_port(); }
    static unsigned short mgmt() { return proxy_->management_port(); }

    static void expect_bare_404(const HttpResponse& r, const std::string& what) {
        EXPECT_EQ(r.result_int(), 404) << what;
        EXPECT_TRUE(r.body().empty()) << what << ": " << r.body();
        EXPECT_EQ(r.find(http::field::server), r.end()) << what;
        EXPECT_EQ(r.find("X-Powered-By"), r.end()) << what;
        EXPECT_EQ(r.find(http::field::www_authenticate), r.end()) << what;
        for (const auto& field : r.base()) {
            EXPECT_EQ(std::string(field.value()).find("mcpproxy"), std::string::npos)
                << what << ": " << field.name_string();
        }
    }

    static inline Workspace* workspace_ = nullptr;
    static inline RunningProxy* proxy_ = nullptr;
    static inline std::string agent_secret_;
    static inline std::string admin_key_;
};

TEST_F(TunneledListener, AnswersNothingButMcpAndHealthz) {
    const std::vector<std::string> paths{"/ui/",
                                         "/ui",
                                         "/ui/app.js",
                                         "/api/v1/status",
                                         "/api/v1/tokens",
                                         "/metrics",
                                         "/readyz",
                                         "/.well-known/x",
                                         "/.well-known/oauth-protected-resource",
                                         "/",
                                         "/mcp/",
                                         "/healthz/x",
                                         "/a7f3c9-random-path"};
    for (const auto& path : paths) {
        for (const auto verb : {http::verb::get, http::verb::post, http::verb::head}) {
            const auto what = std::string(http::to_string(verb)) + " " + path;
            expect_bare_404(http_request(tunneled(), verb, path), what);
            expect_bare_404(
                http_request(tunneled(), verb, path, {{"Authorization", "Bearer " + admin_key_}}),
                what + " with the admin key");
        }
    }
    expect_bare_404(http_request(tunneled(), http::verb::post, "/healthz"), "POST /healthz");
}

TEST_F(TunneledListener, HealthzIs200WithAnEmptyBodyOnceReady) {
    const auto r = http_request(tunneled(), http::verb::get, "/healthz");
    EXPECT_EQ(r.result_int(), 200);
    EXPECT_TRUE(r.body().empty()) << r.body();
    EXPECT_EQ(r.find(http::field::server), r.end());
}

TEST_F(TunneledListener, McpNeedsAnAgentTokenAndNeverTheAdminKey) {
    const auto expect_401 = [](const HttpResponse& r, const std::string& what) {
        EXPECT_EQ(r.result_int(), 401) << what << ": " << r.body();
        EXPECT_EQ(r.body().find("reason"), std::string::npos) << what << ": " << r.body();
    };
    expect_401(mcp_initialize(tunneled(), {}), "no credential");
    expect_401(mcp_initialize(tunneled(), bearer(admin_key_)), "the admin key as Bearer");
    expect_401(mcp_initialize(tunneled(), {{"X-API-Key", admin_key_}}),
               "the admin key as X-API-Key");
    expect_401(mcp_initialize(tunneled(), bearer("mcp_agt_" + std::string(64, '0'))),
               "an unknown token");
    expect_401(mcp_initialize(tunneled(), {{"Authorization", "Basic YWRtaW46YWRtaW4="}}),
               "Basic auth");

    const auto tools = mcp_list_tools(tunneled(), bearer(agent_secret_));
    ASSERT_EQ(tools.result_int(), 200) << tools.body();
    EXPECT_NE(tools.body().find("\"tools\""), std::string::npos) << tools.body();
}

TEST_F(TunneledListener, ARevokedTokenIsRefused) {
    const auto secret = workspace_->create_token("short-lived");
    auto r = poll_until([&] { return mcp_initialize(tunneled(), bearer(secret)); },
                        [](const HttpResponse& x) { return x.result_int() == 200; });
    ASSERT_EQ(r.result_int(), 200) << "a new token is accepted without a restart: " << r.body();
    ASSERT_EQ(workspace_->cli({"token", "revoke", "short-lived"}).exit_code, 0);
    r = poll_until([&] { return mcp_initialize(tunneled(), bearer(secret)); },
                   [](const HttpResponse& x) { return x.result_int() == 401; });
    EXPECT_EQ(r.result_int(), 401) << r.body();
    EXPECT_EQ(r.body().find("revoked"), std::string::npos)
        << "the reason is not told: " << r.body();
}

TEST_F(TunneledListener, LogsExactlyOneBannerWithListenerAndCredentialNamesButNoSecret) {
    const auto log = proxy_->log();
    ASSERT_EQ(count_lines_with(log, "tunnel mode: "), 1U) << log;
    std::string banner;
    std::istringstream in(log);
    for (std::string line; std::getline(in, line);) {
        if (line.find("tunnel mode: ") != std::string::npos) banner = line;
    }
    EXPECT_NE(banner.find("127.0.0.1:" + std::to_string(tunneled())), std::string::npos) << banner;
    EXPECT_NE(banner.find("/mcp and /healthz only"), std::string::npos) << banner;
    EXPECT_NE(banner.find("agent"), std::string::npos) << banner;
    EXPECT_NE(banner.find("ci-bot"), std::string::npos) << banner;
    EXPECT_EQ(log.find("mcp_agt_"), std::string::npos) << "no agent token in the log";
    EXPECT_EQ(log.find(admin_key_), std::string::npos) << "no admin key in the log";
}

TEST_F(TunneledListener, TrustsForwardedAddressesFromTheLocalTunnelDaemon) {
    ASSERT_EQ(mcp_initialize(tunneled(), {{"Authorization", "Bearer " + agent_secret_},
                                          {"Cf-Connecting-IP", "203.0.113.7"}})
                  .result_int(),
              200);
    ASSERT_EQ(mcp_initialize(tunneled(), {{"Authorization", "Bearer " + agent_secret_},
                                          {"X-Forwarded-For", "198.51.100.23, 127.0.0.1"}})
                  .result_int(),
              200);
    const auto has = [](const Json& records, const std::string& address) {
        for (const auto& r : records) {
            if (r.at("client_address") == address) return true;
        }
        return false;
    };
    const auto records = poll_activity(
        mgmt(), admin_key_, "agent=agent&limit=1000",
        [&](const Json& rs) { return has(rs, "203.0.113.7") && has(rs, "198.51.100.23"); });
    EXPECT_TRUE(has(records, "203.0.113.7")) << records.dump(1);
    EXPECT_TRUE(has(records, "198.51.100.23")) << records.dump(1);
    for (const auto& r : records) EXPECT_EQ(r.at("listener"), "main");
}

TEST_F(TunneledListener, ManagementApiNeedsTheAdminKey) {
    for (const auto& path : {"/api/v1/status", "/api/v1/servers", "/api/v1/tools",
                             "/api/v1/activity", "/api/v1/tokens", "/metrics"}) {
        EXPECT_EQ(management(mgmt(), http::verb::get, path, "").result_int(), 401) << path;
        EXPECT_EQ(management(mgmt(), http::verb::get, path, "wrong-key").result_int(), 401) << path;
        EXPECT_EQ(management(mgmt(), http::verb::get, path, agent_secret_).result_int(), 401)
            << path << " with an agent token";
        EXPECT_EQ(management(mgmt(), http::verb::get, path, admin_key_).result_int(), 200) << path;
    }
    EXPECT_EQ(http_request(mgmt(), http::verb::get, "/api/v1/status", {{"X-API-Key", admin_key_}})
                  .result_int(),
              200);
    EXPECT_EQ(
        management(mgmt(), http::verb::post, "/api/v1/tokens", "", R"({"name":"x"})").result_int(),
        401);

    const auto status =
        Json::parse(management(mgmt(), http::verb::get, "/api/v1/status", admin_key_).body());
    bool tunnel_listed = false;
    for (const auto& l : status.at("listeners")) {
        if (l.at("role") == "tunnel") {
            tunnel_listed = true;
            EXPECT_EQ(l.at("address"), "127.0.0.1:" + std::to_string(tunneled()));
        }
    }
    EXPECT_TRUE(tunnel_listed) << status.dump(1);
    EXPECT_EQ(status.at("ready"), true);
}

TEST_F(TunneledListener, WebUiIsServedOnTheManagementListenerWithoutTheKey) {
    const auto ui = http_request(mgmt(), http::verb::get, "/ui/");
    ASSERT_EQ(ui.result_int(), 200);
    EXPECT_NE(std::string(ui[http::field::content_type]).find("text/html"), std::string::npos);
    EXPECT_NE(std::string(ui["Content-Security-Policy"]).find("default-src 'self'"),
              std::string::npos);
    EXPECT_EQ(ui[http::field::x_frame_options], "DENY");
    EXPECT_EQ(ui["X-Content-Type-Options"], "nosniff");
    EXPECT_EQ(ui[http::field::cache_control], "no-cache");
    EXPECT_EQ(ui.body().find(admin_key_), std::string::npos);

    const auto redirect = http_request(mgmt(), http::verb::get, "/ui");
    EXPECT_EQ(redirect.result_int(), 308);
    EXPECT_EQ(redirect[http::field::location], "/ui/");

    const auto index = http_request(mgmt(), http::verb::get, "/ui/index.html");
    EXPECT_EQ(index.body(), ui.body());
    const auto revalidated =
        http_request(mgmt(), http::verb::get, "/ui/app.js",
                     {{"If-None-Match", std::string(index[http::field::etag])}});
    EXPECT_EQ(revalidated.result_int(), 200) << "another file's ETag does not match";
    const auto js = http_request(mgmt(), http::verb::get, "/ui/app.js");
    EXPECT_NE(std::string(js[http::field::content_type]).find("text/javascript"),
              std::string::npos);
    EXPECT_EQ(http_request(mgmt(), http::verb::get, "/ui/app.js",
                           {{"If-None-Match", std::string(js[http::field::etag])}})
                  .result_int(),
              304);
    const auto css = http_request(mgmt(), http::verb::get, "/ui/app.css");
    EXPECT_NE(std::string(css[http::field::content_type]).find("text/css"), std::string::npos);
    const auto head = raw_exchange(mgmt(),
                                   "HEAD /ui/app.css HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                   "Connection: close\r\n\r\n");
    EXPECT_TRUE(head.starts_with("HTTP/1.1 200")) << head;
    EXPECT_NE(head.find("Content-Length: " + std::to_string(css.body().size())), std::string::npos)
        << head;
    EXPECT_TRUE(head.ends_with("\r\n\r\n")) << "HEAD has no body: " << head;

    for (const auto& path : {"/ui/../api/v1/status", "/ui/%2e%2e/admin.key", "/ui/..%2fadmin.key",
                             "/ui//etc/passwd", "/ui/missing.js", "/ui/app.js/", "/ui/APP.JS"}) {
        const auto r = http_request(mgmt(), http::verb::get, path);
        EXPECT_EQ(r.result_int(), 404) << path;
        EXPECT_TRUE(r.body().empty()) << path;
    }
    EXPECT_EQ(http_request(mgmt(), http::verb::post, "/ui/").result_int(), 405);
}

}  // namespace
}  // namespace mcpproxy::test::tunnel
