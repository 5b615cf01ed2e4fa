// Agent tokens against the real binary: which credentials get in, and what a refused one sees
// (R-AUTH-1, R-AUTH-4).
#include <gtest/gtest.h>

#include <thread>

#include "tests/integration/auth/auth_harness.hpp"

namespace mcpproxy::test::auth {
namespace {

namespace http = boost::beast::http;
using namespace std::chrono_literals;

// A 401 that says nothing but "unauthorized" and the request id, with a Bearer challenge.
void expect_bare_401(const HttpResponse& r, const std::string& what) {
    SCOPED_TRACE(what);
    ASSERT_EQ(r.result_int(), 401) << r.body();
    const std::string request_id(r["X-Request-Id"]);
    ASSERT_FALSE(request_id.empty());
    EXPECT_EQ(Json::parse(r.body()), (Json{{"error", "unauthorized"}, {"request_id", request_id}}));
    const std::string challenge(r[http::field::www_authenticate]);
    EXPECT_TRUE(challenge.starts_with("Bearer")) << challenge;
}

// Nothing in the answer tells the caller why it failed or who the token belonged to.
void expect_no_leak(const HttpResponse& r, const std::vector<std::string>& secrets) {
    const std::string all = whole_response(r);
    for (const auto& s : secrets) {
        if (!s.empty()) {
            EXPECT_EQ(all.find(s), std::string::npos) << "leaked \"" << s << "\":\n" << all;
        }
    }
    for (const char* word : {"expired", "revoked", "unknown", "malformed"}) {
        std::string lower = all;
        for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        EXPECT_EQ(lower.find(word), std::string::npos) << "says \"" << word << "\":\n" << all;
    }
}

class TokenAuthTest : public ::testing::Test {
protected:
    void SetUp() override {
        good_ = proxy_.create_token("good-agent");
        ASSERT_FALSE(good_.empty());
    }
    AuthProxy proxy_;
    std::string good_;
};

TEST_F(TokenAuthTest, CliTokenWorksForInitializeAndToolsCallViaBearer) {
    proxy_.start();
    McpSession s(proxy_.port(), bearer(good_));
    ASSERT_EQ(s.initialize().result_int(), 200);
    const auto r = s.call_tool("alpha__echo", {{"text", "via bearer"}});
    ASSERT_EQ(r.result_int(), 200) << r.body();
    EXPECT_EQ(result_text(rpc_body(r)), "via bearer");
}

TEST_F(TokenAuthTest, CliTokenWorksViaXApiKey) {
    proxy_.start();
    McpSession s(proxy_.port(), api_key(good_));
    ASSERT_EQ(s.initialize().result_int(), 200);
    const auto r = s.call_tool("alpha__echo", {{"text", "via x-api-key"}});
    ASSERT_EQ(r.result_int(), 200) << r.body();
    EXPECT_EQ(result_text(rpc_body(r)), "via x-api-key");
}

TEST_F(TokenAuthTest, TokenInTheQueryStringIsNotAccepted) {
    proxy_.start();
    for (const std::string param : {"token", "access_token", "api_key", "apiKey", "key"}) {
        McpSession s(proxy_.port(), {}, "/mcp?" + param + "=" + good_);
        const auto r = s.initialize();
        expect_bare_401(r, "query parameter " + param);
        expect_no_leak(r, {good_, "good-agent"});
    }
}

TEST_F(TokenAuthTest, MissingWrongMalformedAndForeignCredentialsGetA401ThatRevealsNothing) {
    proxy_.start();
    std::string wrong = good_;
    wrong.back() = wrong.back() == '0' ? '1' : '0';  // well formed, unknown
    const std::vector<std::pair<std::string, Headers>> cases{
        {"no credential", {}},
        {"wrong token", bearer(wrong)},
        {"wrong token in X-API-Key", api_key(wrong)},
        {"malformed: short", bearer("mcp_agt_0123abcd")},
        {"malformed: upper-case hex", bearer("mcp_agt_" + std::string(64, 'A'))},
        {"malformed: too long", bearer(good_ + "00")},
        {"not an agent token", bearer("some-other-token")},
        {"empty bearer", {{"Authorization", "Bearer "}}},
        {"basic auth", {{"Authorization", "Basic Z29vZDpwYXNz"}}},
    };
    for (const auto& [what, headers] : cases) {
        McpSession s(proxy_.port(), headers);
        const auto r = s.initialize();
        expect_bare_401(r, what);
        expect_no_leak(r, {good_, wrong, "good-agent"});
    }
    // A tools/call (not only initialize) is refused the same way.
    McpSession s(proxy_.port(), bearer(wrong));
    expect_bare_401(s.call_tool("alpha__echo", {{"text", "x"}}), "tools/call with a wrong token");
}

TEST_F(TokenAuthTest, RequestIdsDifferPerRequest) {
    proxy_.start();
    McpSession s(proxy_.port(), {});
    const auto a = s.initialize();
    const auto b = s.initialize();
    expect_bare_401(a, "first");
    expect_bare_401(b, "second");
    EXPECT_NE(std::string(a["X-Request-Id"]), std::string(b["X-Request-Id"]));
}

TEST_F(TokenAuthTest, ExpiredTokenGetsA401ThatRevealsNothing) {
    const auto secret = proxy_.create_token("old-agent");
    set_token_expiry(proxy_.data_dir(), "old-agent", std::chrono::system_clock::now() - 1h);
    proxy_.start();
    McpSession s(proxy_.port(), bearer(secret));
    const auto r = s.initialize();
    expect_bare_401(r, "expired");
    expect_no_leak(r, {secret, "old-agent"});
    // The refusal is not for everyone: the good token still works.
    McpSession ok(proxy_.port(), bearer(good_));
    EXPECT_EQ(ok.initialize().result_int(), 200);
}

TEST_F(TokenAuthTest, TokenExpiringWhileTheProxyRunsStopsWorking) {
    const auto secret = proxy_.create_token("short-lived");
    const auto expires = std::chrono::system_clock::now() + 3s;
    set_token_expiry(proxy_.data_dir(), "short-lived", expires);
    proxy_.start();
    McpSession s(proxy_.port(), bearer(secret));
    ASSERT_EQ(s.initialize().result_int(), 200);
    ASSERT_EQ(s.call_tool("alpha__echo", {{"text", "still valid"}}).result_int(), 200);
    std::this_thread::sleep_until(expires + 1100ms);  // expiry is stored in whole seconds
    const auto r = s.call_tool("alpha__echo", {{"text", "too late"}});
    expect_bare_401(r, "expired while running");
    expect_no_leak(r, {secret, "short-lived"});
}

TEST_F(TokenAuthTest, RevokedTokenGetsA401ThatRevealsNothing) {
    const auto secret = proxy_.create_token("fired-agent");
    proxy_.start();
    McpSession s(proxy_.port(), bearer(secret));
    ASSERT_EQ(s.initialize().result_int(), 200);
    const auto revoke = proxy_.cli({"token", "revoke", "fired-agent"});
    ASSERT_EQ(revoke.exit_code, 0) << revoke.err;
    HttpResponse r;
    const auto deadline = std::chrono::steady_clock::now() + 2s;
    do {
        r = s.call_tool("alpha__echo", {{"text", "after revoke"}});
    } while (r.result_int() == 200 && std::chrono::steady_clock::now() < deadline);
    expect_bare_401(r, "revoked");
    expect_no_leak(r, {secret, "fired-agent"});
    // A revoked token also cannot start a new session.
    McpSession fresh(proxy_.port(), api_key(secret));
    const auto again = fresh.initialize();
    expect_bare_401(again, "revoked, new session");
    expect_no_leak(again, {secret, "fired-agent"});
}

TEST_F(TokenAuthTest, DeletedTokenGetsA401) {
    const auto secret = proxy_.create_token("gone-agent");
    proxy_.start();
    McpSession s(proxy_.port(), bearer(secret));
    ASSERT_EQ(s.initialize().result_int(), 200);
    ASSERT_EQ(proxy_.cli({"token", "delete", "gone-agent"}).exit_code, 0);
    HttpResponse r;
    const auto deadline = std::chrono::steady_clock::now() + 2s;
    do {
        r = s.call_tool("alpha__echo", {{"text", "after delete"}});
    } while (r.result_int() == 200 && std::chrono::steady_clock::now() < deadline);
    expect_bare_401(r, "deleted");
    expect_no_leak(r, {secret, "gone-agent"});
}

TEST_F(TokenAuthTest, ASessionCannotBeUsedWithAnotherTokensCredential) {
    const auto other = proxy_.create_token("other-agent");
    proxy_.start();
    McpSession mine(proxy_.port(), bearer(good_));
    ASSERT_EQ(mine.initialize().result_int(), 200);
    // Same session id, someone else's (valid) token: the session is not theirs.
    const auto r = mine.post(Json{{"jsonrpc", "2.0"}, {"id", 99}, {"method", "tools/list"}},
                             {{"Authorization", "Bearer " + other}});
    EXPECT_EQ(r.result_int(), 404) << r.body();
}

TEST_F(TokenAuthTest, RefusalsAreLoggedWithTheReasonButNeverTheSecret) {
    const auto secret = proxy_.create_token("audited-agent");
    set_token_expiry(proxy_.data_dir(), "audited-agent", std::chrono::system_clock::now() - 1h);
    proxy_.start();
    McpSession(proxy_.port(), bearer(secret)).initialize();
    McpSession(proxy_.port(), bearer(good_)).initialize();
    // The operator sees why (in the activity log); the client never did.
    const auto records = poll_activity(proxy_, {"--decision", "denied"}, [](const Json& rs) {
        for (const auto& r : rs) {
            if (r.value("reason", "") == "expired") return true;
        }
        return false;
    });
    bool found = false;
    for (const auto& r : records) {
        if (r.value("reason", "") != "expired") continue;
        found = true;
        EXPECT_EQ(r.value("http_status", 0), 401);
    }
    EXPECT_TRUE(found) << records.dump(2);
    proxy_.process().stop();
    const auto log = proxy_.log();
    EXPECT_EQ(log.find(secret), std::string::npos);
    EXPECT_EQ(log.find(good_), std::string::npos);
    EXPECT_EQ(log.find(secret.substr(8)), std::string::npos);
}

// On a tunneled listener (the main one, in tunnel mode) a refusal is just as bare, whatever the
// reason, and the token never counts when it comes in the query string.
TEST(TunnelModeDenialTest, RefusalsLeakNeitherTokenNorNameNorReason) {
    ProxySettings settings;
    settings.extra = {{"tunnel", {{"enabled", true}}}};
    AuthProxy proxy(settings);
    const auto good = proxy.create_token("tunnel-agent");
    const auto expired = proxy.create_token("tunnel-expired");
    const auto revoked = proxy.create_token("tunnel-revoked");
    ASSERT_EQ(proxy.cli({"token", "revoke", "tunnel-revoked"}).exit_code, 0);
    set_token_expiry(proxy.data_dir(), "tunnel-expired", std::chrono::system_clock::now() - 1h);
    proxy.start();

    McpSession ok(proxy.port(), bearer(good));
    ASSERT_EQ(ok.initialize().result_int(), 200) << proxy.log();
    ASSERT_EQ(ok.call_tool("alpha__echo", {{"text", "through the tunnel"}}).result_int(), 200);

    std::string wrong = good;
    wrong.back() = wrong.back() == '0' ? '1' : '0';
    const std::vector<std::string> secrets{good,           expired,          revoked,         wrong,
                                           "tunnel-agent", "tunnel-expired", "tunnel-revoked"};
    const std::vector<std::pair<std::string, McpSession>> cases{
        {"missing", McpSession(proxy.port(), {})},
        {"wrong", McpSession(proxy.port(), bearer(wrong))},
        {"expired", McpSession(proxy.port(), bearer(expired))},
        {"revoked", McpSession(proxy.port(), api_key(revoked))},
        {"malformed", McpSession(proxy.port(), bearer("mcp_agt_xyz"))},
        {"query string", McpSession(proxy.port(), {}, "/mcp?token=" + good)},
        {"query string api_key", McpSession(proxy.port(), {}, "/mcp?api_key=" + good)},
    };
    for (auto [what, session] : cases) {
        const auto r = session.initialize();
        expect_bare_401(r, "tunnel: " + what);
        expect_no_leak(r, secrets);
    }
}

}  // namespace
}  // namespace mcpproxy::test::auth
