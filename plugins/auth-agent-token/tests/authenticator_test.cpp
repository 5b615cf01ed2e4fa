#include <gtest/gtest.h>

#include "agent_token_authenticator.hpp"
#include "create_options.hpp"
#include "fakes.hpp"
#include "store_key.hpp"
#include "temp_dir.hpp"
#include "token_service.hpp"

using namespace mcpproxy::agent_token;
using agt_test::FakeClock;
using agt_test::FakeRequest;
using agt_test::opts;
using agt_test::TempDir;
using mcpproxy::sdk::AuthOutcome;
using mcpproxy::sdk::Permission;
using namespace std::chrono_literals;

namespace {

// The bridge over a view loaded straight from the store (no background thread): reload() is what
// the refresher does on a change.
class AuthenticatorTest : public ::testing::Test {
protected:
    AuthenticatorTest()
        : service(dir.path(), clock.function(), 2s),
          store(dir.path(), 2s),
          auth(view, usage, clock.function(), true) {}

    void SetUp() override {
        hasher = open_store_key(dir.path(), store);
        auth.set_hasher(hasher.get());
    }

    void reload() { view.apply(store.changes_since(view.revision())); }

    mcpproxy::sdk::AuthResult bearer(const std::string& token) {
        return auth.authenticate(FakeRequest().with_header("Authorization", "Bearer " + token));
    }

    TempDir dir;
    FakeClock clock;
    TokenService service;
    TokenStore store;
    TokenView view;
    UsageTracker usage;
    AgentTokenAuthenticator auth;
    std::unique_ptr<TokenHasher> hasher;
};

const std::string kUnknown = "mcp_agt_" + std::string(64, '7');

}  // namespace

TEST_F(AuthenticatorTest, BearerTokenYieldsTheIdentityWithItsScope) {
    mcpproxy::sdk::Limits limits;
    limits.requests_per_second = 5;
    limits.max_concurrent = 2;
    const auto issued = service.create(
        opts("ci").servers({"github", "fs"}).permission(Permission::write).limits(limits));
    reload();
    const auto result = bearer(issued.secret);
    ASSERT_EQ(result.outcome, AuthOutcome::authenticated) << result.reason;
    EXPECT_EQ(result.identity.name, "ci");
    EXPECT_EQ(result.identity.kind, "agent_token");
    EXPECT_EQ(result.identity.allowed_servers, (std::vector<std::string>{"github", "fs"}));
    EXPECT_EQ(result.identity.permission, Permission::write);
    EXPECT_EQ(result.identity.limits.requests_per_second, 5.0);
    EXPECT_EQ(result.identity.limits.max_concurrent, 2U);
    EXPECT_FALSE(result.identity.limits.burst.has_value());
    EXPECT_TRUE(result.identity.attributes.empty());
}

TEST_F(AuthenticatorTest, AcceptsXApiKeyAndSchemeInAnyCase) {
    const auto issued = service.create(opts("ci"));
    reload();
    EXPECT_EQ(auth.authenticate(FakeRequest().with_header("X-API-Key", issued.secret)).outcome,
              AuthOutcome::authenticated);
    EXPECT_EQ(auth.authenticate(FakeRequest().with_header("x-api-key", "  " + issued.secret + " "))
                  .outcome,
              AuthOutcome::authenticated);
    EXPECT_EQ(
        auth.authenticate(FakeRequest().with_header("Authorization", "bearer   " + issued.secret))
            .outcome,
        AuthOutcome::authenticated);
    EXPECT_EQ(
        auth.authenticate(FakeRequest().with_header("Authorization", "BEARER " + issued.secret))
            .outcome,
        AuthOutcome::authenticated);
}

TEST_F(AuthenticatorTest, XApiKeyCanBeTurnedOff) {
    const auto issued = service.create(opts("ci"));
    reload();
    AgentTokenAuthenticator strict(view, usage, clock.function(), false);
    strict.set_hasher(hasher.get());
    EXPECT_EQ(strict.authenticate(FakeRequest().with_header("X-API-Key", issued.secret)).outcome,
              AuthOutcome::not_mine);
    EXPECT_EQ(
        strict.authenticate(FakeRequest().with_header("Authorization", "Bearer " + issued.secret))
            .outcome,
        AuthOutcome::authenticated);
}

TEST_F(AuthenticatorTest, CredentialsOfOtherKindsAreNotMine) {
    EXPECT_EQ(auth.authenticate(FakeRequest()).outcome, AuthOutcome::not_mine);
    EXPECT_EQ(bearer("eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln").outcome, AuthOutcome::not_mine);
    EXPECT_EQ(
        auth.authenticate(FakeRequest().with_header("Authorization", "Basic dXNlcjpwYXNz")).outcome,
        AuthOutcome::not_mine);
    EXPECT_EQ(
        auth.authenticate(FakeRequest().with_header("Authorization", "Basic " + kUnknown)).outcome,
        AuthOutcome::not_mine);
    EXPECT_EQ(auth.authenticate(FakeRequest().with_header("X-API-Key", "some-other-key")).outcome,
              AuthOutcome::not_mine);
}

TEST_F(AuthenticatorTest, NeverReadsTheQueryString) {
    const auto issued = service.create(opts("ci"));
    reload();
    const auto result = auth.authenticate(FakeRequest().with_query("token=" + issued.secret));
    EXPECT_EQ(result.outcome, AuthOutcome::not_mine);
    EXPECT_EQ(auth.authenticate(FakeRequest().with_query("api_key=" + issued.secret +
                                                         "&access_token=" + issued.secret))
                  .outcome,
              AuthOutcome::not_mine);
}

TEST_F(AuthenticatorTest, AnotherBridgesBearerDoesNotHideAnAgentTokenInXApiKey) {
    const auto issued = service.create(opts("ci"));
    reload();
    const auto result =
        auth.authenticate(FakeRequest()
                              .with_header("Authorization", "Bearer eyJhbGciOiJIUzI1NiJ9.e30.x")
                              .with_header("X-API-Key", issued.secret));
    EXPECT_EQ(result.outcome, AuthOutcome::authenticated);
}

TEST_F(AuthenticatorTest, MalformedOrUnknownAgentTokensAreRejectedAsUnknown) {
    service.create(opts("ci"));
    reload();
    for (const std::string& bad :
         {std::string("mcp_agt_"), std::string("mcp_agt_abc"), kUnknown + "0",
          "MCP_AGT_" + std::string(64, 'a'), "mcp_agt_" + std::string(64, 'A'), kUnknown}) {
        const auto result = bearer(bad);
        EXPECT_EQ(result.outcome, AuthOutcome::rejected) << bad;
        EXPECT_EQ(result.reason, "unknown_token") << bad;
    }
    EXPECT_EQ(auth.counters().unknown, 6U);
}

TEST_F(AuthenticatorTest, ExpiredTokenIsRejectedAsExpired) {
    const auto issued = service.create(opts("ci").lifetime(2h));
    reload();
    clock.advance(2h - 1s);
    EXPECT_EQ(bearer(issued.secret).outcome, AuthOutcome::authenticated);
    clock.advance(1s);
    const auto result = bearer(issued.secret);
    EXPECT_EQ(result.outcome, AuthOutcome::rejected);
    EXPECT_EQ(result.reason, "expired");
}

TEST_F(AuthenticatorTest, RevokedTokenIsRejectedAsRevoked) {
    const auto issued = service.create(opts("ci"));
    reload();
    service.revoke("ci");
    reload();
    const auto result = bearer(issued.secret);
    EXPECT_EQ(result.outcome, AuthOutcome::rejected);
    EXPECT_EQ(result.reason, "revoked");
    EXPECT_EQ(auth.counters().revoked, 1U);
}

TEST_F(AuthenticatorTest, DeletedTokenBecomesUnknown) {
    const auto issued = service.create(opts("ci"));
    reload();
    service.remove("ci");
    reload();
    EXPECT_EQ(bearer(issued.secret).reason, "unknown_token");
}

TEST_F(AuthenticatorTest, RegenerateWithGraceAcceptsBothSecretsUntilTheGraceEnds) {
    const auto old_token = service.create(opts("ci"));
    reload();
    const auto new_token = service.regenerate("ci", 60s, std::nullopt);
    reload();
    EXPECT_EQ(bearer(new_token.secret).outcome, AuthOutcome::authenticated);
    const auto via_old = bearer(old_token.secret);
    ASSERT_EQ(via_old.outcome, AuthOutcome::authenticated);
    EXPECT_EQ(via_old.identity.name, "ci");
    EXPECT_EQ(via_old.identity.attributes.at("credential"), "previous_secret");
    clock.advance(60s);
    EXPECT_EQ(bearer(old_token.secret).reason, "unknown_token");
    EXPECT_EQ(bearer(new_token.secret).outcome, AuthOutcome::authenticated);
}

TEST_F(AuthenticatorTest, RegenerateWithoutGraceKillsTheOldSecretAtOnce) {
    const auto old_token = service.create(opts("ci"));
    reload();
    const auto new_token = service.regenerate("ci", 0s, std::nullopt);
    reload();
    EXPECT_EQ(bearer(old_token.secret).reason, "unknown_token");
    EXPECT_EQ(bearer(new_token.secret).outcome, AuthOutcome::authenticated);
}

TEST_F(AuthenticatorTest, RevokingDuringGraceStopsBothSecrets) {
    const auto old_token = service.create(opts("ci"));
    const auto new_token = service.regenerate("ci", 1h, std::nullopt);
    service.revoke("ci");
    reload();
    EXPECT_EQ(bearer(old_token.secret).reason, "revoked");
    EXPECT_EQ(bearer(new_token.secret).reason, "revoked");
}

TEST_F(AuthenticatorTest, WithoutAKeyYetAgentTokensAreRejectedNotPassedOn) {
    AgentTokenAuthenticator cold(view, usage, clock.function(), true);
    const auto result =
        cold.authenticate(FakeRequest().with_header("Authorization", "Bearer " + kUnknown));
    EXPECT_EQ(result.outcome, AuthOutcome::rejected);
    EXPECT_EQ(result.reason, "unavailable");
}

TEST_F(AuthenticatorTest, UsesAreReportedAtMostOncePerSecondPerToken) {
    const auto issued = service.create(opts("ci"));
    reload();
    for (int i = 0; i < 5; ++i)
        ASSERT_EQ(bearer(issued.secret).outcome, AuthOutcome::authenticated);
    auto uses = usage.drain();
    ASSERT_EQ(uses.size(), 1U);
    EXPECT_EQ(uses[0].second, std::chrono::floor<std::chrono::seconds>(clock.now()));
    EXPECT_EQ(bearer(issued.secret).outcome, AuthOutcome::authenticated);
    EXPECT_TRUE(usage.drain().empty());
    clock.advance(1s);
    EXPECT_EQ(bearer(issued.secret).outcome, AuthOutcome::authenticated);
    EXPECT_EQ(usage.drain().size(), 1U);
}

TEST_F(AuthenticatorTest, AnswersInMicroseconds) {
    const auto issued = service.create(opts("ci"));
    reload();
    constexpr int kCalls = 20'000;
    const FakeRequest request =
        FakeRequest().with_header("Authorization", "Bearer " + issued.secret);
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < kCalls; ++i)
        ASSERT_EQ(auth.authenticate(request).outcome, AuthOutcome::authenticated);
    const auto per_call =
        std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start) /
        kCalls;
    RecordProperty("microseconds_per_call", std::to_string(per_call.count()));
    std::cout << "authenticate: " << per_call.count() << " us/call\n";
    EXPECT_LT(per_call.count(), 500.0);  // a sanity bound for a loaded debug build, not a benchmark
}
