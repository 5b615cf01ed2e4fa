// HttpTransport with a CredentialSource (what plugin UpstreamCredentials become in the kernel).
#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <thread>

#include "fake_mcp_server.hpp"
#include "transport_harness.hpp"

namespace mcpproxy::test {
namespace {
using namespace std::chrono_literals;

class ScriptedSource final : public upstream::CredentialSource {
public:
    std::vector<sdk::HeaderField> headers_for(std::string_view server,
                                              std::string_view url) override {
        ++header_calls;
        std::lock_guard lock(mutex_);
        last_server_ = std::string(server);
        last_url_ = std::string(url);
        if (token_.empty()) return {};
        return {{"Authorization", "Bearer " + token_}};
    }
    sdk::UnauthorizedAnswer on_unauthorized(std::string_view, std::string_view,
                                            std::string_view challenge) override {
        ++verdict_calls;
        std::lock_guard lock(mutex_);
        challenge_ = std::string(challenge);
        if (answer_.verdict == sdk::UnauthorizedVerdict::retry) token_ = "refreshed-0123456789";
        return answer_;
    }
    void set_token(std::string token) {
        std::lock_guard lock(mutex_);
        token_ = std::move(token);
    }
    void set_answer(sdk::UnauthorizedAnswer answer) {
        std::lock_guard lock(mutex_);
        answer_ = std::move(answer);
    }
    std::string challenge() {
        std::lock_guard lock(mutex_);
        return challenge_;
    }
    std::string last_server() {
        std::lock_guard lock(mutex_);
        return last_server_;
    }

    std::atomic<int> header_calls{0};
    std::atomic<int> verdict_calls{0};

private:
    std::mutex mutex_;
    std::string token_ = "plugin-token-0123456789";
    sdk::UnauthorizedAnswer answer_;
    std::string challenge_, last_server_, last_url_;
};

std::string send_error(TransportHarness& h, const nlohmann::json& message) {
    try {
        h.send(message);
    } catch (const std::exception& e) {
        return e.what();
    }
    return "<no error>";
}

std::size_t count_posts(const FakeMcpServer& server, const std::string& rpc_method) {
    std::size_t n = 0;
    for (const auto& r : server.requests()) n += r.verb == "POST" && r.rpc_method == rpc_method;
    return n;
}

TEST(HttpTransportCredentials, PluginHeadersGoOnPostGetAndDelete) {
    FakeMcpServer server(FakeMcpServer::Options{.issue_session = true, .allow_get = true});
    auto source = std::make_shared<ScriptedSource>();
    {
        TransportHarness h(TransportHarness::config_for(server.url()), false, source);
        h.open();
        h.initialize();
        ASSERT_TRUE(server.wait_for(
            [](const auto& all) {
                for (const auto& r : all) {
                    if (r.verb == "GET") return true;
                }
                return false;
            },
            3s));
        h.close();
    }
    std::set<std::string> verbs;
    for (const auto& r : server.requests()) {
        verbs.insert(r.verb);
        EXPECT_EQ(r.headers.at("authorization"), "Bearer plugin-token-0123456789") << r.verb;
    }
    EXPECT_EQ(verbs, (std::set<std::string>{"POST", "GET", "DELETE"}));
    EXPECT_EQ(source->last_server(), "fake");
}

TEST(HttpTransportCredentials, A401IsRetriedExactlyOnceWithFreshHeaders) {
    FakeMcpServer server;
    auto source = std::make_shared<ScriptedSource>();
    source->set_answer({sdk::UnauthorizedVerdict::retry, {}});
    TransportHarness h(TransportHarness::config_for(server.url()), false, source);
    h.open();
    h.initialize();
    const auto error = send_error(h, request(2, "unauthorized"));
    EXPECT_NE(error.find("HTTP 401"), std::string::npos) << error;
    std::vector<std::string> sent;
    for (const auto& r : server.requests()) {
        if (r.rpc_method == "unauthorized") sent.push_back(r.headers.at("authorization"));
    }
    EXPECT_EQ(sent, (std::vector<std::string>{"Bearer plugin-token-0123456789",
                                              "Bearer refreshed-0123456789"}));
    EXPECT_NE(source->challenge().find("resource_metadata="), std::string::npos);
    EXPECT_FALSE(h.transport().login_needed());
}

TEST(HttpTransportCredentials, LoginNeededFailsTheRequestAndThenReportsTheTransportClosed) {
    FakeMcpServer server;
    auto source = std::make_shared<ScriptedSource>();
    source->set_answer({sdk::UnauthorizedVerdict::login_needed, "run `mcpproxy auth login`"});
    TransportHarness h(TransportHarness::config_for(server.url()), false, source);
    h.open();
    h.initialize();
    const auto error = send_error(h, request(2, "unauthorized"));
    EXPECT_EQ(error, "login needed: run `mcpproxy auth login`");
    EXPECT_EQ(count_posts(server, "unauthorized"), 1U);
    EXPECT_EQ(h.transport().login_needed().value_or(""), "login needed: run `mcpproxy auth login`");
    for (int i = 0; i < 100 && h.closed_reasons().empty(); ++i) std::this_thread::sleep_for(10ms);
    EXPECT_EQ(h.closed_reasons(),
              std::vector<std::string>{"login needed: run `mcpproxy auth login`"});
}

TEST(HttpTransportCredentials, PluginSecretsAreRedactedFromErrors) {
    FakeMcpServer server;
    auto source = std::make_shared<ScriptedSource>();
    TransportHarness h(TransportHarness::config_for(server.url()), false, source);
    h.open();
    h.initialize();
    const auto error = send_error(h, request(2, "fail500"));  // the body echoes Authorization
    EXPECT_NE(error.find("HTTP 500"), std::string::npos) << error;
    EXPECT_EQ(error.find("plugin-token-0123456789"), std::string::npos) << error;
    EXPECT_EQ(h.log_text().find("plugin-token-0123456789"), std::string::npos);
}

TEST(HttpTransportCredentials, AConfiguredAuthorizationMeansThePluginIsNeverAsked) {
    FakeMcpServer server;
    auto source = std::make_shared<ScriptedSource>();
    source->set_answer({sdk::UnauthorizedVerdict::login_needed, "no"});
    auto config = TransportHarness::config_for(server.url());
    config.headers = {{"Authorization", "Bearer configured-0123456789"}};
    TransportHarness h(config, false, source);
    h.open();
    h.initialize();
    const auto error = send_error(h, request(2, "unauthorized"));
    EXPECT_NE(error.find("requires authentication (HTTP 401)"), std::string::npos) << error;
    EXPECT_EQ(source->header_calls.load(), 0);
    EXPECT_EQ(source->verdict_calls.load(), 0);
    EXPECT_EQ(h.transport().credentials_fingerprint(), 0U);
    for (const auto& r : server.requests()) {
        EXPECT_EQ(r.headers.at("authorization"), "Bearer configured-0123456789");
    }
}

TEST(HttpTransportCredentials, TheFingerprintFollowsThePluginsCredentials) {
    FakeMcpServer server;
    auto source = std::make_shared<ScriptedSource>();
    TransportHarness h(TransportHarness::config_for(server.url()), false, source);
    h.open();
    const auto before = h.transport().credentials_fingerprint();
    EXPECT_EQ(h.transport().credentials_fingerprint(), before);
    source->set_token("another-token-9876543210");
    EXPECT_NE(h.transport().credentials_fingerprint(), before);
}

}  // namespace
}  // namespace mcpproxy::test
