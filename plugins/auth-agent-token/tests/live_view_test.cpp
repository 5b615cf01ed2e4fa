// A started plugin must see changes made by another connection (the CLI) without a restart.
#include <gtest/gtest.h>

#include <functional>
#include <iostream>
#include <thread>

#include "agent_token_plugin.hpp"
#include "create_options.hpp"
#include "fakes.hpp"
#include "store_key.hpp"
#include "temp_dir.hpp"
#include "token_format.hpp"
#include "token_service.hpp"

using namespace mcpproxy::agent_token;
using agt_test::FakeHost;
using agt_test::FakeRequest;
using agt_test::opts;
using agt_test::TempDir;
using mcpproxy::sdk::AuthOutcome;
using mcpproxy::sdk::AuthResult;
using namespace std::chrono_literals;

namespace {

constexpr auto kDeadline = 5s;  // generous for a loaded machine; the measured time is printed

class LiveViewTest : public ::testing::Test {
protected:
    explicit LiveViewTest(std::string config = R"({"last_used_flush_ms": 200})")
        : host(dir.path().string(), std::move(config)),
          plugin(host),
          cli(dir.path(), host.clock.function(), 5s) {}

    AuthResult bearer(const std::string& token) {
        return plugin.auth_bridge()->authenticate(
            FakeRequest().with_header("Authorization", "Bearer " + token));
    }

    // Polls until the bridge's answer for token satisfies pred; returns how long it took.
    std::chrono::milliseconds wait_until(const std::string& token,
                                         const std::function<bool(const AuthResult&)>& pred,
                                         const char* what) {
        const auto start = std::chrono::steady_clock::now();
        while (!pred(bearer(token))) {
            if (std::chrono::steady_clock::now() - start > kDeadline) {
                ADD_FAILURE() << what << " not seen within " << kDeadline.count() << " s";
                break;
            }
            std::this_thread::sleep_for(5ms);
        }
        const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(
            std::chrono::steady_clock::now() - start);
        std::cout << what << " seen after " << took.count() << " ms\n";
        RecordProperty(what, std::to_string(took.count()));
        return took;
    }

    static bool accepted(const AuthResult& r) { return r.outcome == AuthOutcome::authenticated; }
    static std::function<bool(const AuthResult&)> rejected_as(std::string reason) {
        return [reason](const AuthResult& r) {
            return r.outcome == AuthOutcome::rejected && r.reason == reason;
        };
    }

    TempDir dir;
    FakeHost host;
    AgentTokenPlugin plugin;
    TokenService cli;
};

}  // namespace

TEST_F(LiveViewTest, CreateRevokeRegenerateAndDeleteReachARunningBridge) {
    plugin.start();
    const auto token = cli.create(opts("agent"));
    wait_until(token.secret, accepted, "create");

    cli.revoke("agent");
    wait_until(token.secret, rejected_as("revoked"), "revoke");

    const auto second = cli.create(opts("rotating"));
    wait_until(second.secret, accepted, "create 2");
    const auto third = cli.regenerate("rotating", 60s, std::nullopt);
    wait_until(third.secret, accepted, "regenerate with grace");
    EXPECT_TRUE(accepted(bearer(second.secret)))
        << "the old secret must keep working during the grace period";

    const auto fourth = cli.regenerate("rotating", 0s, std::nullopt);
    wait_until(third.secret, rejected_as("unknown_token"), "regenerate without grace");
    EXPECT_TRUE(accepted(bearer(fourth.secret)));
    EXPECT_EQ(bearer(second.secret).reason, "unknown_token");

    cli.remove("rotating");
    wait_until(fourth.secret, rejected_as("unknown_token"), "delete");
    plugin.stop();
}

TEST_F(LiveViewTest, TokensThatExistAtStartAreAcceptedImmediately) {
    const auto token = cli.create(opts("early"));
    plugin.start();
    EXPECT_TRUE(accepted(bearer(token.secret)));
    EXPECT_NE(plugin.health_detail().find("1 agent tokens"), std::string::npos)
        << plugin.health_detail();
}

TEST_F(LiveViewTest, LastUsedIsWrittenInTheBackground) {
    const auto token = cli.create(opts("used"));
    plugin.start();
    ASSERT_TRUE(accepted(bearer(token.secret)));
    const auto start = std::chrono::steady_clock::now();
    while (!cli.show("used").last_used_at) {
        ASSERT_LT(std::chrono::steady_clock::now() - start, kDeadline)
            << "last_used_at never written";
        std::this_thread::sleep_for(20ms);
    }
    EXPECT_EQ(*cli.show("used").last_used_at, cli.now());
}

class LiveViewSlowFlushTest : public LiveViewTest {
protected:
    LiveViewSlowFlushTest() : LiveViewTest(R"({"last_used_flush_ms": 3600000})") {}
};

TEST_F(LiveViewSlowFlushTest, StopFlushesPendingLastUsed) {
    const auto token = cli.create(opts("used"));
    plugin.start();
    ASSERT_TRUE(accepted(bearer(token.secret)));
    EXPECT_FALSE(cli.show("used").last_used_at.has_value());
    plugin.stop();
    EXPECT_TRUE(cli.show("used").last_used_at.has_value());
}

TEST_F(LiveViewTest, RemovingTheDatabaseFileDropsEveryToken) {
    const auto token = cli.create(opts("doomed"));
    plugin.start();
    ASSERT_TRUE(accepted(bearer(token.secret)));
    for (const char* f : {"tokens.db", "tokens.db-wal", "tokens.db-shm"})
        std::filesystem::remove(dir.path() / f);
    wait_until(token.secret, rejected_as("unknown_token"), "database removed");
}

TEST(ScaleTest, HundredThousandTokensLoadAndLookUpAndChangeIncrementally) {
    TempDir dir;
    agt_test::FakeClock clock;
    TokenStore store(dir.path(), 5s);
    const auto hasher = open_store_key(dir.path(), store);

    constexpr int kTokens = 100'000;
    std::vector<std::string> kept;
    std::vector<NewToken> rows;
    rows.reserve(kTokens);
    const auto now = std::chrono::floor<std::chrono::seconds>(clock.now());
    for (int i = 0; i < kTokens; ++i) {
        const auto secret = generate_token();
        if (i % 25'000 == 0) kept.push_back(secret);
        NewToken t;
        t.name = "agent-" + std::to_string(i);
        t.hash = hasher->hash(secret);
        t.created_at = now;
        t.expires_at = now + std::chrono::days(30);
        rows.push_back(std::move(t));
    }
    auto start = std::chrono::steady_clock::now();
    store.insert_many(rows);
    std::cout << "insert 100k (one transaction): "
              << std::chrono::duration_cast<std::chrono::milliseconds>(
                     std::chrono::steady_clock::now() - start)
                     .count()
              << " ms\n";
    EXPECT_EQ(store.count(), kTokens);

    TokenView view;
    UsageTracker usage;
    AgentTokenAuthenticator auth(view, usage, clock.function(), true);
    auth.set_hasher(hasher.get());
    start = std::chrono::steady_clock::now();
    view.apply(store.changes_since(0));
    std::cout << "full load of 100k: "
              << std::chrono::duration_cast<std::chrono::milliseconds>(
                     std::chrono::steady_clock::now() - start)
                     .count()
              << " ms\n";
    ASSERT_EQ(view.size(), static_cast<std::size_t>(kTokens));
    for (std::size_t i = 0; i < kept.size(); ++i) {
        const auto r = auth.authenticate(FakeRequest().with_header("X-API-Key", kept[i]));
        ASSERT_EQ(r.outcome, AuthOutcome::authenticated);
        EXPECT_EQ(r.identity.name, "agent-" + std::to_string(i * 25'000));
    }
    EXPECT_EQ(
        auth.authenticate(FakeRequest().with_header("X-API-Key", "mcp_agt_" + std::string(64, 'f')))
            .reason,
        "unknown_token");

    // One revocation among 100k moves one row, not the table.
    store.revoke("agent-25000", now);
    const auto changes = store.changes_since(view.revision());
    EXPECT_FALSE(changes.full);
    EXPECT_EQ(changes.rows.size(), 1U);
    view.apply(changes);
    EXPECT_EQ(auth.authenticate(FakeRequest().with_header("X-API-Key", kept[1])).reason, "revoked");
    EXPECT_EQ(view.size(), static_cast<std::size_t>(kTokens));
}
