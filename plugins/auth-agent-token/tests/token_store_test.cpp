#include "token_store.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include <fstream>

#include "store_schema.hpp"
#include "temp_dir.hpp"

using namespace mcpproxy::agent_token;
using agt_test::file_mode;
using agt_test::TempDir;
using namespace std::chrono_literals;

namespace {

const Seconds kNow = Seconds(std::chrono::seconds(1'800'000'000));

NewToken new_token(const std::string& name, unsigned char seed) {
    NewToken t;
    t.name = name;
    t.hash.fill(seed);
    t.created_at = kNow;
    t.expires_at = kNow + std::chrono::days(30);
    return t;
}

void raw_exec(const std::filesystem::path& db, const char* sql) {
    sqlite3* h = nullptr;
    ASSERT_EQ(sqlite3_open(db.c_str(), &h), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(h, sql, nullptr, nullptr, nullptr), SQLITE_OK) << sqlite3_errmsg(h);
    sqlite3_close(h);
}

}  // namespace

TEST(TokenStore, DatabaseAndWalFilesAreMode0600WhateverTheUmask) {
    TempDir dir;
    const mode_t old = ::umask(0);
    {
        TokenStore store(dir.path(), 1s);
        store.insert(new_token("a", 1));
        EXPECT_EQ(file_mode(dir.path() / "tokens.db"), 0600U);
        ASSERT_TRUE(std::filesystem::exists(dir.path() / "tokens.db-wal"));
        EXPECT_EQ(file_mode(dir.path() / "tokens.db-wal"), 0600U);
        EXPECT_EQ(file_mode(dir.path() / "tokens.db-shm"), 0600U);
    }
    ::umask(old);
}

TEST(TokenStore, TightensAnExistingLooseDatabaseFile) {
    TempDir dir;
    { std::ofstream(dir.path() / "tokens.db").flush(); }
    ASSERT_EQ(::chmod((dir.path() / "tokens.db").c_str(), 0644), 0);
    TokenStore store(dir.path(), 1s);
    EXPECT_EQ(file_mode(dir.path() / "tokens.db"), 0600U);
}

TEST(TokenStore, CreatesAMissingDataDirPrivately) {
    TempDir dir;
    TokenStore store(dir.path() / "state", 1s);
    EXPECT_EQ(file_mode(dir.path() / "state"), 0700U);
}

TEST(TokenStore, SchemaVersionIsRecordedAndANewerFileIsRefused) {
    TempDir dir;
    { TokenStore store(dir.path(), 1s); }
    {
        sqlite3* h = nullptr;
        ASSERT_EQ(sqlite3_open((dir.path() / "tokens.db").c_str(), &h), SQLITE_OK);
        sqlite3_stmt* st = nullptr;
        sqlite3_prepare_v2(h, "PRAGMA user_version", -1, &st, nullptr);
        ASSERT_EQ(sqlite3_step(st), SQLITE_ROW);
        EXPECT_EQ(sqlite3_column_int(st, 0), latest_schema_version());
        sqlite3_finalize(st);
        sqlite3_close(h);
    }
    { TokenStore again(dir.path(), 1s); }  // an up-to-date file opens without migrating
    raw_exec(dir.path() / "tokens.db", "PRAGMA user_version = 99");
    try {
        TokenStore newer(dir.path(), 1s);
        FAIL() << "opened a file from a newer build";
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find("newer than this build"), std::string::npos)
            << e.what();
    }
}

TEST(TokenStore, InsertFindListAndCaseInsensitiveUniqueNames) {
    TempDir dir;
    TokenStore store(dir.path(), 1s);
    auto t = new_token("ci-bot", 1);
    t.allowed_servers = {"github", "fs"};
    t.permission = mcpproxy::sdk::Permission::write;
    t.limits.requests_per_second = 2.5;
    t.limits.burst = 5;
    t.limits.max_concurrent = 3;
    const auto stored = store.insert(t);
    EXPECT_GT(stored.id, 0);
    EXPECT_EQ(stored.name, "ci-bot");
    EXPECT_EQ(stored.hash, t.hash);
    EXPECT_EQ(stored.allowed_servers, t.allowed_servers);
    EXPECT_EQ(stored.permission, mcpproxy::sdk::Permission::write);
    EXPECT_EQ(stored.limits.requests_per_second, 2.5);
    EXPECT_EQ(stored.limits.burst, 5U);
    EXPECT_EQ(stored.limits.max_concurrent, 3U);
    EXPECT_EQ(stored.expires_at, kNow + std::chrono::days(30));
    EXPECT_FALSE(stored.last_used_at.has_value());
    EXPECT_FALSE(stored.revoked());

    EXPECT_THROW(store.insert(new_token("ci-bot", 2)), DuplicateTokenName);
    EXPECT_THROW(store.insert(new_token("CI-Bot", 3)), DuplicateTokenName);
    store.insert(new_token("alpha", 4));
    const auto all = store.list();
    ASSERT_EQ(all.size(), 2U);
    EXPECT_EQ(all[0].name, "alpha");
    EXPECT_EQ(store.find("CI-BOT")->name, "ci-bot");
    EXPECT_FALSE(store.find("nobody").has_value());
    EXPECT_EQ(store.count(), 2);
}

TEST(TokenStore, RevokeRemoveAndReplaceSecretOutcomes) {
    TempDir dir;
    TokenStore store(dir.path(), 1s);
    store.insert(new_token("a", 1));
    store.insert(new_token("b", 2));

    EXPECT_EQ(store.revoke("a", kNow), RevokeOutcome::revoked);
    EXPECT_EQ(store.revoke("a", kNow), RevokeOutcome::already_revoked);
    EXPECT_EQ(store.revoke("zz", kNow), RevokeOutcome::not_found);
    EXPECT_EQ(store.find("a")->revoked_at, kNow);

    ReplaceSecretRequest r;
    r.new_hash.fill(9);
    r.now = kNow;
    r.grace = 60s;
    EXPECT_EQ(store.replace_secret("a", r).first, ReplaceOutcome::revoked);
    EXPECT_EQ(store.replace_secret("zz", r).first, ReplaceOutcome::not_found);
    const auto [outcome, replaced] = store.replace_secret("b", r);
    ASSERT_EQ(outcome, ReplaceOutcome::replaced);
    EXPECT_EQ(replaced->hash, r.new_hash);
    ASSERT_TRUE(replaced->previous_hash.has_value());
    EXPECT_EQ(replaced->previous_hash->front(), 2);
    EXPECT_EQ(replaced->previous_valid_until, kNow + 60s);

    r.new_hash.fill(10);
    r.grace = 0s;
    const auto immediate = store.replace_secret("b", r).second;
    EXPECT_FALSE(immediate->previous_hash.has_value());

    r.now = kNow + std::chrono::days(31);
    EXPECT_EQ(store.replace_secret("b", r).first, ReplaceOutcome::expired);
    r.new_expires_at = r.now + std::chrono::days(1);
    EXPECT_EQ(store.replace_secret("b", r).first, ReplaceOutcome::replaced);
    EXPECT_EQ(store.find("b")->expires_at, *r.new_expires_at);

    EXPECT_TRUE(store.remove("b", kNow));
    EXPECT_FALSE(store.remove("b", kNow));
    EXPECT_FALSE(store.find("b").has_value());
}

TEST(TokenStore, ChangesSinceReturnsOnlyWhatMovedAndDeletions) {
    TempDir dir;
    TokenStore store(dir.path(), 1s);
    const auto a = store.insert(new_token("a", 1));
    store.insert(new_token("b", 2));
    const auto first = store.changes_since(0);
    EXPECT_TRUE(first.full);
    EXPECT_EQ(first.rows.size(), 2U);

    EXPECT_TRUE(store.changes_since(first.revision).rows.empty());
    store.revoke("a", kNow);
    store.remove("b", kNow);
    const auto next = store.changes_since(first.revision);
    EXPECT_FALSE(next.full);
    ASSERT_EQ(next.rows.size(), 1U);
    EXPECT_EQ(next.rows[0].id, a.id);
    EXPECT_TRUE(next.rows[0].revoked());
    EXPECT_EQ(next.deleted_ids.size(), 1U);
    EXPECT_EQ(next.revision, first.revision + 2);
}

TEST(TokenStore, AViewThatMissedPrunedTombstonesGetsAFullReload) {
    TempDir dir;
    TokenStore store(dir.path(), 1s);
    store.insert(new_token("a", 1));
    store.insert(new_token("b", 2));
    const auto seen = store.changes_since(0).revision;
    store.remove("a", kNow);
    EXPECT_FALSE(store.changes_since(seen).full);
    store.remove("b", kNow + std::chrono::days(8));  // prunes a's tombstone
    const auto later = store.changes_since(seen);
    EXPECT_TRUE(later.full);
    EXPECT_TRUE(later.rows.empty());
}

TEST(TokenStore, IdsAreNeverReused) {
    TempDir dir;
    TokenStore store(dir.path(), 1s);
    const auto first = store.insert(new_token("a", 1));
    store.remove("a", kNow);
    const auto second = store.insert(new_token("a", 2));
    EXPECT_GT(second.id, first.id);
}

TEST(TokenStore, LastUsedIsRecordedWithoutBumpingTheRevision) {
    TempDir dir;
    TokenStore store(dir.path(), 1s);
    const auto a = store.insert(new_token("a", 1));
    const auto revision = store.changes_since(0).revision;
    store.record_last_used({{a.id, kNow + 5s}});
    store.record_last_used({{a.id, kNow + 1s}});  // older stamps never win
    EXPECT_EQ(store.find("a")->last_used_at, kNow + 5s);
    EXPECT_EQ(store.changes_since(0).revision, revision);
}

TEST(TokenStore, DataVersionMovesWhenAnotherConnectionCommits) {
    TempDir dir;
    TokenStore watcher(dir.path(), 1s);
    TokenStore writer(dir.path(), 1s);
    const auto before = watcher.data_version();
    EXPECT_EQ(watcher.data_version(), before);
    writer.insert(new_token("a", 1));
    EXPECT_NE(watcher.data_version(), before);
}
