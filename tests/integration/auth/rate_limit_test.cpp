// Per-token rate and concurrency limits and the failed-login limit per client address, through
// the real binary (R-POL-2).
#include <gtest/gtest.h>

#include <future>
#include <thread>

#include "tests/integration/auth/auth_harness.hpp"

namespace mcpproxy::test::auth {
namespace {

namespace http = boost::beast::http;
using namespace std::chrono_literals;

void expect_429(const HttpResponse& r, const std::string& what) {
    SCOPED_TRACE(what);
    ASSERT_EQ(r.result_int(), 429) << r.body();
    const std::string retry_after(r[http::field::retry_after]);
    ASSERT_FALSE(retry_after.empty());
    EXPECT_GE(std::stoi(retry_after), 1);
    EXPECT_FALSE(std::string(r["X-Request-Id"]).empty());
}

TEST(RateLimitTest, TokenBucketRefusesTheThirdRapidCallWithRetryAfter) {
    AuthProxy proxy;
    const auto limited =
        proxy.create_token("limited-agent", {"--requests-per-second", "1", "--burst", "2"});
    const auto other = proxy.create_token("unlimited-agent");
    proxy.start();
    McpSession s(proxy.port(), bearer(limited));
    ASSERT_EQ(s.initialize().result_int(), 200);
    EXPECT_EQ(s.call_tool("alpha__echo", {{"text", "1"}}).result_int(), 200);
    EXPECT_EQ(s.call_tool("alpha__echo", {{"text", "2"}}).result_int(), 200);
    const auto third = s.call_tool("alpha__echo", {{"text", "3"}});
    expect_429(third, "third call");
    const auto rpc = rpc_body(third);
    EXPECT_EQ(rpc["error"].value("code", 0), -32005) << rpc.dump();
    EXPECT_EQ(rpc["id"], 4)
        << "the error answers the refused request (ids: 1 initialize, 2-4 calls)";

    // The limit is per token: another token is not affected.
    McpSession o(proxy.port(), bearer(other));
    ASSERT_EQ(o.initialize().result_int(), 200);
    EXPECT_EQ(o.call_tool("alpha__echo", {{"text", "other"}}).result_int(), 200);

    // After the bucket refills, the limited token works again.
    std::this_thread::sleep_for(1100ms);
    EXPECT_EQ(s.call_tool("alpha__echo", {{"text", "4"}}).result_int(), 200);

    const auto records = poll_activity(proxy, {"--agent", "limited-agent", "--decision", "denied"},
                                       [](const Json& rs) { return !rs.empty(); });
    ASSERT_EQ(records.size(), 1U) << records.dump(2);
    EXPECT_EQ(records[0].value("reason", ""), "rate_limit");
    EXPECT_EQ(records[0].value("http_status", 0), 429);
    EXPECT_EQ(records[0].value("method", ""), "tools/call");
    EXPECT_EQ(records[0].value("jsonrpc_error", 0), -32005);
}

TEST(RateLimitTest, ConcurrencyLimitRefusesASecondCallWhileTheFirstRuns) {
    AuthProxy proxy;
    const auto single = proxy.create_token("one-at-a-time", {"--max-concurrent", "1"});
    proxy.start();
    McpSession s(proxy.port(), bearer(single));
    ASSERT_EQ(s.initialize().result_int(), 200);

    const auto slow_started = std::chrono::steady_clock::now();
    auto slow = std::async(std::launch::async, [&] {
        return s.call_tool("alpha__slow", {{"seconds", 2}});
    });
    std::this_thread::sleep_for(400ms);
    const auto second = s.call_tool("alpha__echo", {{"text", "meanwhile"}});
    ASSERT_LT(std::chrono::steady_clock::now() - slow_started, 2s) << "the slow call was not slow";
    expect_429(second, "concurrent call");
    EXPECT_NE(std::string(second.body()).find("concurrent"), std::string::npos) << second.body();

    const auto first = slow.get();
    EXPECT_EQ(first.result_int(), 200) << first.body();
    EXPECT_EQ(result_text(rpc_body(first)), "done");
    // The slot is given back once the slow call is over.
    EXPECT_EQ(s.call_tool("alpha__echo", {{"text", "after"}}).result_int(), 200);

    const auto records = poll_activity(proxy, {"--agent", "one-at-a-time", "--decision", "denied"},
                                       [](const Json& rs) { return !rs.empty(); });
    ASSERT_EQ(records.size(), 1U) << records.dump(2);
    EXPECT_EQ(records[0].value("reason", ""), "concurrency_limit");
    EXPECT_EQ(records[0].value("method", ""), "tools/call");
}

TEST(RateLimitTest, GlobalDefaultsApplyToTokensWithoutTheirOwnLimits) {
    ProxySettings settings;
    settings.rate_limits = {{"requests_per_second", 1}, {"burst", 2}};
    AuthProxy proxy(settings);
    const auto plain = proxy.create_token("plain-agent");
    const auto generous =
        proxy.create_token("generous-agent", {"--requests-per-second", "100", "--burst", "50"});
    proxy.start();
    McpSession s(proxy.port(), bearer(plain));
    ASSERT_EQ(s.initialize().result_int(), 200);
    EXPECT_EQ(s.call_tool("alpha__echo", {{"text", "1"}}).result_int(), 200);
    EXPECT_EQ(s.call_tool("alpha__echo", {{"text", "2"}}).result_int(), 200);
    expect_429(s.call_tool("alpha__echo", {{"text", "3"}}), "global default");
    // A token's own limits override the global default.
    McpSession g(proxy.port(), bearer(generous));
    ASSERT_EQ(g.initialize().result_int(), 200);
    for (int i = 0; i < 5; ++i)
        EXPECT_EQ(g.call_tool("alpha__echo", {{"text", "g"}}).result_int(), 200);
}

TEST(RateLimitTest, FailedLoginsFromOneAddressAreLimitedEvenForAValidTokenAfterwards) {
    ProxySettings settings;
    settings.rate_limits = {{"auth_failures_per_minute", 5}};
    AuthProxy proxy(settings);
    const auto good = proxy.create_token("victim-agent");
    proxy.start();
    std::string wrong = good;
    wrong.back() = wrong.back() == 'a' ? 'b' : 'a';
    for (int i = 0; i < 5; ++i) {
        McpSession bad(proxy.port(), bearer(wrong));
        EXPECT_EQ(bad.initialize().result_int(), 401) << "attempt " << i + 1;
    }
    McpSession valid(proxy.port(), bearer(good));
    const auto r = valid.initialize();
    expect_429(r, "6th attempt, valid token");
    // The refusal reveals nothing about the credential either.
    const auto all = whole_response(r);
    EXPECT_EQ(all.find(good), std::string::npos);
    EXPECT_EQ(all.find("victim-agent"), std::string::npos);
    // The block is per address, whatever the request carries.
    McpSession none(proxy.port(), {});
    expect_429(none.initialize(), "no credential after the limit");
}

TEST(RateLimitTest, SuccessfulLoginsDoNotCountAsFailures) {
    ProxySettings settings;
    settings.rate_limits = {{"auth_failures_per_minute", 3}};
    AuthProxy proxy(settings);
    const auto good = proxy.create_token("busy-agent");
    proxy.start();
    for (int i = 0; i < 10; ++i) {
        McpSession s(proxy.port(), bearer(good));
        ASSERT_EQ(s.initialize().result_int(), 200) << "login " << i + 1;
    }
}

}  // namespace
}  // namespace mcpproxy::test::auth
