// Plugin-supplied credentials on HTTP upstream requests (sdk::UpstreamCredentials), end to end:
// the real mcpproxy binary with the scripted test-upstream-credentials plugin in front of
// tests/fakes/bearer-mcp-upstream, which answers 401 unless it gets a bearer it accepts.
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <functional>
#include <thread>

#include "tests/integration/mcp/mcp_http.hpp"
#include "tests/integration/upstream-credentials/bearer_upstream.hpp"
#include "tests/support/proxy_process.hpp"
#include "tests/support/raw_http.hpp"
#include "tests/support/temp_dir.hpp"

namespace mcpproxy::test {
namespace {

namespace http = boost::beast::http;
using namespace std::chrono_literals;

constexpr const char* kAdminKey = "admin-key-for-upstream-credentials-tests";

struct ProxySetup {
    Json plugin;          // the plugin's config
    Json server_headers;  // the upstream's configured "headers" (null: none)
};

class UpstreamCredentials : public ::testing::Test {
protected:
    void start(const std::string& accepted_tokens, const ProxySetup& setup) {
        upstream_ = std::make_unique<BearerUpstream>(dir_.path(), accepted_tokens);
        Json server{{"url", upstream_->url()}};
        if (!setup.server_headers.is_null()) server["headers"] = setup.server_headers;
        const Json config{
            {"listen", "127.0.0.1:0"},
            {"routing_mode", "direct"},
            {"api_key", kAdminKey},
            {"management", {{"listen", "127.0.0.1:0"}}},
            {"plugins",
             Json::array({{{"name", "test-upstream-credentials"}, {"config", setup.plugin}}})},
            {"mcpServers", {{"up", server}}}};
        dir_.write("config.json", config.dump());
        proxy_ = std::make_unique<ProxyProcess>(
            std::vector<std::string>{"--config", (dir_ / "config.json").string(), "--plugins-dir",
                                     (build_dir() / "test-plugins").string()},
            dir_.path());
        ASSERT_TRUE(proxy_->started()) << proxy_->log();
    }

    Json management(const std::string& path) {
        const auto r = http_request(proxy_->port("management"), http::verb::get, path,
                                    {{"Authorization", std::string("Bearer ") + kAdminKey}});
        EXPECT_EQ(r.result_int(), 200) << path << ": " << r.body();
        return Json::parse(r.body());
    }

    Json server_status() {
        for (const auto& s : management("/api/v1/servers")) {
            if (s.at("name") == "up") return s;
        }
        return {};
    }

    // Polls the upstream's state until it is `state` (or 15 s pass); returns the last seen.
    Json wait_state(const std::string& state, std::chrono::milliseconds limit = 15s) {
        const auto until = std::chrono::steady_clock::now() + limit;
        Json s = server_status();
        while (s.value("state", "") != state && std::chrono::steady_clock::now() < until) {
            std::this_thread::sleep_for(50ms);
            s = server_status();
        }
        return s;
    }

    // Ready with its tool listed: the state turns "ready" before the lists are fetched.
    Json wait_ready(std::chrono::milliseconds limit = 15s) {
        const auto until = std::chrono::steady_clock::now() + limit;
        Json s = wait_state("ready", limit);
        while (s.value("tools", 0) < 1 && std::chrono::steady_clock::now() < until) {
            std::this_thread::sleep_for(50ms);
            s = server_status();
        }
        return s;
    }

    static std::size_t count(const Json& seen, const std::function<bool(const Json&)>& pred) {
        std::size_t n = 0;
        for (const auto& r : seen) n += pred(r) ? 1 : 0;
        return n;
    }

    TempDir dir_;
    std::unique_ptr<BearerUpstream> upstream_;
    std::unique_ptr<ProxyProcess> proxy_;
};

TEST_F(UpstreamCredentials, ProviderHeaderGoesOnEveryRequestAndTheClientsNeverDoes) {
    start("plugin-token", {.plugin = {{"server", "up"}, {"token", "plugin-token"}}});
    ASSERT_EQ(wait_ready().value("tools", 0), 1) << proxy_->log();

    // The client presents its own credentials to mcpproxy; none of them may reach the upstream.
    const Headers client_creds{{"Authorization", "Bearer client-secret-a1b2c3"},
                               {"X-API-Key", "client-key-d4e5f6"}};
    const auto init =
        mcp_post(proxy_->port(), initialize_message(1, kLatestVersion).dump(), client_creds);
    ASSERT_EQ(init.status, 200) << init.body;
    Headers session = client_creds;
    session["Mcp-Session-Id"] = init.session_id;
    session["MCP-Protocol-Version"] = kLatestVersion;
    mcp_post(proxy_->port(), R"({"jsonrpc":"2.0","method":"notifications/initialized"})", session);
    const auto reply = mcp_post(
        proxy_->port(),
        request_message(2, "tools/call", {{"name", "up__whoami"}, {"arguments", Json::object()}})
            .dump(),
        session);
    ASSERT_EQ(reply.status, 200) << reply.body;
    EXPECT_EQ(first_text(reply.last().at("result")), "ok") << reply.body;

    const auto seen = upstream_->seen();
    ASSERT_GE(seen.size(), 4U) << seen.dump();  // initialize, initialized, tools/list, call
    EXPECT_EQ(count(seen, [](const Json& r) { return r["rpc"] == "tools/call"; }), 1U);
    EXPECT_GE(count(seen, [](const Json& r) { return r["method"] == "GET"; }), 1U)
        << "no GET event stream was tried: " << seen.dump();
    for (const auto& r : seen) {
        EXPECT_EQ(r["headers"].value("authorization", ""), "Bearer plugin-token") << r.dump();
        const auto text = r["headers"].dump();
        EXPECT_EQ(text.find("client-secret-a1b2c3"), std::string::npos) << text;
        EXPECT_EQ(text.find("client-key-d4e5f6"), std::string::npos) << text;
        EXPECT_FALSE(r["headers"].contains("x-api-key")) << text;
    }

    // The DELETE that ends the upstream session at shutdown carries the plugin's header too.
    EXPECT_EQ(proxy_->stop(), 0);
    const auto after = upstream_->seen();
    EXPECT_EQ(count(after,
                    [](const Json& r) {
                        return r["method"] == "DELETE" &&
                               r["headers"].value("authorization", "") == "Bearer plugin-token";
                    }),
              1U)
        << after.dump();
}

TEST_F(UpstreamCredentials, ConfiguredAuthorizationWinsAndProvidersAreNotAsked) {
    start("static-token", {.plugin = {{"server", "up"}, {"token", "plugin-token"}},
                           .server_headers = {{"Authorization", "Bearer static-token"}}});
    ASSERT_EQ(wait_ready().value("tools", 0), 1) << proxy_->log();
    for (const auto& r : upstream_->seen()) {
        EXPECT_EQ(r["headers"].value("authorization", ""), "Bearer static-token") << r.dump();
    }
}

TEST_F(UpstreamCredentials, AConfiguredAuthorizationThatIsRefusedIsNotTheProvidersBusiness) {
    start("good-token",
          {.plugin = {{"server", "up"}, {"token", "good-token"}, {"on_401", "login_needed"}},
           .server_headers = {{"Authorization", "Bearer static-wrong"}}});
    const auto status = wait_state("failed");
    EXPECT_EQ(status.value("state", ""), "failed") << status.dump() << proxy_->log();
    EXPECT_NE(status.value("last_error", "").find("HTTP 401"), std::string::npos) << status.dump();
    for (const auto& r : upstream_->seen()) {
        EXPECT_EQ(r["headers"].value("authorization", ""), "Bearer static-wrong") << r.dump();
    }
}

TEST_F(UpstreamCredentials, A401WithNewerCredentialsIsRetriedOnce) {
    start("fresh-token", {.plugin = {{"server", "up"},
                                     {"token", "stale-token"},
                                     {"on_401", "retry"},
                                     {"refreshed_token", "fresh-token"}}});
    ASSERT_EQ(wait_ready().value("tools", 0), 1) << proxy_->log();
    const auto seen = upstream_->seen();
    ASSERT_GE(seen.size(), 2U) << seen.dump();
    EXPECT_EQ(seen[0]["rpc"], "initialize");
    EXPECT_EQ(seen[0]["status"], 401);
    EXPECT_EQ(seen[0]["headers"].value("authorization", ""), "Bearer stale-token");
    EXPECT_EQ(seen[1]["rpc"], "initialize");
    EXPECT_EQ(seen[1]["status"], 200);
    EXPECT_EQ(seen[1]["headers"].value("authorization", ""), "Bearer fresh-token");
    EXPECT_EQ(count(seen, [](const Json& r) { return r["status"] == 401; }), 1U) << seen.dump();
    EXPECT_EQ(server_status().value("restarts", 99), 0) << server_status().dump();
}

TEST_F(UpstreamCredentials, LoginNeededFailsTheCallVisiblyWithoutA401StormAndHealsOnLogin) {
    const auto token_file = dir_ / "plugin-token";
    std::ofstream(token_file) << "good-token\n";
    start("good-token",
          {.plugin = {
               {"server", "up"}, {"token_file", token_file.string()}, {"on_401", "login_needed"}}});
    ASSERT_EQ(wait_ready().value("tools", 0), 1) << proxy_->log();
    McpSession client(proxy_->port());

    // The upstream revokes the token: the next call fails with what the plugin said to do.
    upstream_->set_tokens("other-token");
    const auto failed = client.call_tool("up__whoami");
    const std::string text = failed.dump();
    EXPECT_NE(text.find("login needed: run `mcpproxy auth login --server up`"), std::string::npos)
        << text;

    const auto status = wait_state("login_needed");
    EXPECT_EQ(status.value("state", ""), "login_needed") << status.dump() << proxy_->log();
    EXPECT_NE(status.value("last_error", "").find("mcpproxy auth login --server up"),
              std::string::npos)
        << status.dump();

    // /readyz: still ready (other upstreams serve), the upstream listed as degraded with why.
    Json readyz;
    for (int i = 0; i < 40; ++i) {
        readyz = Json::parse(http_request(proxy_->port(), http::verb::get, "/readyz").body());
        if (readyz.contains("degraded") && !readyz["degraded"].empty()) break;
        std::this_thread::sleep_for(100ms);
    }
    ASSERT_TRUE(readyz.contains("degraded")) << readyz.dump();
    ASSERT_EQ(readyz["degraded"].size(), 1U) << readyz.dump();
    EXPECT_EQ(readyz["degraded"][0]["component"], "upstream:up");
    EXPECT_NE(readyz["degraded"][0]["detail"].get<std::string>().find("auth login"),
              std::string::npos);

    // The activity log's record of the failed call carries the reason.
    Json activity;
    for (int i = 0; i < 40; ++i) {
        activity = management("/api/v1/activity");
        if (activity.dump().find("login needed") != std::string::npos) break;
        std::this_thread::sleep_for(100ms);
    }
    EXPECT_NE(activity.dump().find("login needed: run `mcpproxy auth login --server up`"),
              std::string::npos)
        << activity.dump();

    // No storm: while login is needed and nothing changed, the upstream hears nothing.
    const auto before = upstream_->seen().size();
    std::this_thread::sleep_for(3s);
    EXPECT_LE(upstream_->seen().size(), before + 1) << upstream_->seen().dump();

    // A login elsewhere changes the plugin's credentials: reconnected within a few seconds.
    upstream_->set_tokens("other-token");
    std::ofstream(token_file) << "other-token\n";
    const auto healed = wait_ready(5s);
    EXPECT_EQ(healed.value("state", ""), "ready") << healed.dump() << proxy_->log();
    EXPECT_EQ(healed.value("tools", 0), 1) << healed.dump();
    McpSession again(proxy_->port());
    EXPECT_EQ(first_text(again.call_tool("up__whoami").at("result")), "ok");
    readyz = Json::parse(http_request(proxy_->port(), http::verb::get, "/readyz").body());
    for (int i = 0; i < 20 && readyz.contains("degraded") && !readyz["degraded"].empty(); ++i) {
        std::this_thread::sleep_for(100ms);
        readyz = Json::parse(http_request(proxy_->port(), http::verb::get, "/readyz").body());
    }
    EXPECT_TRUE(!readyz.contains("degraded") || readyz["degraded"].empty()) << readyz.dump();
}

TEST_F(UpstreamCredentials, LoginNeededAtStartIsTheUpstreamsState) {
    start("good-token",
          {.plugin = {{"server", "up"}, {"token", "wrong-token"}, {"on_401", "login_needed"}}});
    const auto status = wait_state("login_needed");
    EXPECT_EQ(status.value("state", ""), "login_needed") << status.dump() << proxy_->log();
    EXPECT_EQ(status.value("last_error", ""),
              "login needed: run `mcpproxy auth login --server up`");
    std::this_thread::sleep_for(2s);
    EXPECT_EQ(count(upstream_->seen(), [](const Json& r) { return r["status"] == 401; }), 1U)
        << upstream_->seen().dump();
}

TEST_F(UpstreamCredentials, AThrowingProviderNeverTakesTheProxyDown) {
    start("good-token", {.plugin = {{"server", "up"}, {"token", "good-token"}, {"throw", true}}});
    const auto status = wait_state("failed");
    EXPECT_EQ(status.value("state", ""), "failed") << status.dump();
    EXPECT_NE(status.value("last_error", "").find("HTTP 401"), std::string::npos) << status.dump();
    int health = 0;
    for (int i = 0; i < 100 && health != 200; ++i) {
        health = http_request(proxy_->port(), http::verb::get, "/healthz").result_int();
        if (health != 200) std::this_thread::sleep_for(50ms);
    }
    EXPECT_EQ(health, 200) << proxy_->log();
    McpSession client(proxy_->port());
    EXPECT_TRUE(client.request("tools/list").last().contains("result"));
    const auto log = proxy_->log();
    const std::string line =
        "plugin test-upstream-credentials: upstream credentials headers_for failed";
    const auto first = log.find(line);
    EXPECT_NE(first, std::string::npos) << log;
    EXPECT_EQ(log.find(line, first + 1), std::string::npos) << "logged more than once:\n" << log;
    // The 401 that follows goes to on_unauthorized, which throws too: logged once as well.
    const std::string unauthorized =
        "plugin test-upstream-credentials: upstream credentials on_unauthorized failed";
    const auto at = log.find(unauthorized);
    EXPECT_NE(at, std::string::npos) << log;
    EXPECT_EQ(log.find(unauthorized, at + 1), std::string::npos) << log;
    EXPECT_EQ(proxy_->stop(), 0);
}

}  // namespace
}  // namespace mcpproxy::test
