#include "token_service.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "create_options.hpp"
#include "fakes.hpp"
#include "temp_dir.hpp"
#include "token_format.hpp"

using namespace mcpproxy::agent_token;
using agt_test::FakeClock;
using agt_test::opts;
using agt_test::TempDir;
using mcpproxy::sdk::Permission;
using namespace std::chrono_literals;

namespace {

class TokenServiceTest : public ::testing::Test {
protected:
    TokenService service() { return TokenService(dir.path(), clock.function(), 2s); }

    TempDir dir;
    FakeClock clock;
};

template <class F>
std::string error_of(F f) {
    try {
        f();
    } catch (const std::exception& e) {
        return e.what();
    }
    return "(no error)";
}

}  // namespace

TEST_F(TokenServiceTest, CreateIssuesAWellFormedSecretWithDefaults) {
    auto s = service();
    const auto issued = s.create(opts("ci-bot"));
    EXPECT_TRUE(is_well_formed_token(issued.secret));
    EXPECT_EQ(issued.record.name, "ci-bot");
    EXPECT_EQ(issued.record.allowed_servers, std::vector<std::string>{"*"});
    EXPECT_EQ(issued.record.permission, Permission::read);
    EXPECT_EQ(issued.record.expires_at - issued.record.created_at, std::chrono::days(30));
    EXPECT_EQ(issued.record.created_at, s.now());
    EXPECT_TRUE(std::filesystem::exists(dir.path() / "token.key"));
}

TEST_F(TokenServiceTest, CrudAndUniqueness) {
    auto s = service();
    s.create(opts("a").servers({"github"}).permission(Permission::write).lifetime(48h));
    EXPECT_EQ(error_of([&] { s.create(opts("a")); }), "a token named 'a' already exists");
    EXPECT_EQ(error_of([&] { s.create(opts("A")); }), "a token named 'A' already exists");
    EXPECT_EQ(error_of([&] { s.create(opts("bad name")); }).substr(0, 25),
              "invalid token name 'bad n");

    const auto shown = s.show("a");
    EXPECT_EQ(shown.allowed_servers, std::vector<std::string>{"github"});
    EXPECT_EQ(shown.permission, Permission::write);
    EXPECT_EQ(shown.expires_at - shown.created_at, 48h);
    EXPECT_EQ(s.list().size(), 1U);

    EXPECT_TRUE(s.revoke("a"));
    EXPECT_FALSE(s.revoke("a"));
    EXPECT_TRUE(s.show("a").revoked());
    s.remove("a");
    EXPECT_EQ(error_of([&] { (void)s.show("a"); }), "no token named 'a'");
    EXPECT_EQ(error_of([&] { s.remove("a"); }), "no token named 'a'");
    EXPECT_EQ(error_of([&] { (void)s.revoke("a"); }), "no token named 'a'");
    EXPECT_TRUE(s.list().empty());
}

TEST_F(TokenServiceTest, RegenerateKeepsSettingsAndReplacesTheSecret) {
    auto s = service();
    const auto first = s.create(opts("a").servers({"x", "y"}).permission(Permission::destructive));
    clock.advance(10s);
    const auto second = s.regenerate("a", 60s, std::nullopt);
    EXPECT_NE(second.secret, first.secret);
    EXPECT_TRUE(is_well_formed_token(second.secret));
    EXPECT_EQ(second.record.id, first.record.id);
    EXPECT_EQ(second.record.allowed_servers, first.record.allowed_servers);
    EXPECT_EQ(second.record.permission, Permission::destructive);
    EXPECT_EQ(second.record.expires_at, first.record.expires_at);
    EXPECT_EQ(second.record.previous_valid_until, s.now() + 60s);
    EXPECT_EQ(second.record.previous_hash, first.record.hash);
}

TEST_F(TokenServiceTest, RegenerateRefusesRevokedAndNeedsALifetimeWhenExpired) {
    auto s = service();
    s.create(opts("gone"));
    s.revoke("gone");
    EXPECT_EQ(error_of([&] { s.regenerate("gone", 0s, std::nullopt); }),
              "token 'gone' is revoked; create a new token instead");

    s.create(opts("old").lifetime(1h));
    clock.advance(2h);
    EXPECT_NE(error_of([&] { s.regenerate("old", 0s, std::nullopt); }).find("--expires"),
              std::string::npos);
    const auto renewed = s.regenerate("old", 0s, std::chrono::days(7));
    EXPECT_EQ(renewed.record.expires_at, s.now() + std::chrono::days(7));
    EXPECT_EQ(error_of([&] { s.regenerate("nobody", 0s, std::nullopt); }),
              "no token named 'nobody'");
}

TEST_F(TokenServiceTest, ReadingCommandsWorkWithoutAKeyAndDoNotCreateOne) {
    auto s = service();
    EXPECT_TRUE(s.list().empty());
    EXPECT_FALSE(std::filesystem::exists(dir.path() / "token.key"));
}

TEST_F(TokenServiceTest, ALostOrReplacedKeyIsRefusedWhileTokensDependOnIt) {
    service().create(opts("a"));
    const auto key = dir.path() / "token.key";
    const auto saved = agt_test::read_file_bytes(key);
    std::filesystem::remove(key);
    auto s = service();
    const auto missing = error_of([&] { s.create(opts("b")); });
    EXPECT_NE(missing.find("token.key is missing"), std::string::npos) << missing;
    EXPECT_FALSE(std::filesystem::exists(key)) << "must not mint a new key over existing tokens";

    {
        TempDir other;
        TokenService(other.path(), clock.function(), 2s).create(opts("x"));
        std::filesystem::copy_file(other.path() / "token.key", key);
    }
    auto s2 = service();
    const auto replaced = error_of([&] { s2.create(opts("b")); });
    EXPECT_NE(replaced.find("is not the key"), std::string::npos) << replaced;
    EXPECT_EQ(saved.size(), 32U);
}

TEST_F(TokenServiceTest, AReplacedKeyIsAdoptedWhenNoTokensDependOnTheOldOne) {
    service().create(opts("a"));
    service().remove("a");
    std::filesystem::remove(dir.path() / "token.key");
    EXPECT_NO_THROW(service().create(opts("b")));
}
