#include "token_hasher.hpp"

#include <gtest/gtest.h>

#include <array>
#include <atomic>
#include <optional>
#include <string>
#include <thread>
#include <vector>

using namespace mcpproxy::agent_token;

namespace {

TokenKey key_with_first_byte(unsigned char first) {
    std::array<unsigned char, 32> bytes{};
    for (unsigned i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<unsigned char>(i);
    bytes[0] = first;
    return TokenKey(bytes);
}

std::string hex(const TokenHash& h) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    for (unsigned char b : h) {
        out.push_back(kHex[b >> 4U]);
        out.push_back(kHex[b & 0x0FU]);
    }
    return out;
}

const std::string kToken = "mcp_agt_" + std::string(64, '0');

}  // namespace

TEST(TokenHasher, MatchesHmacSha256KnownAnswer) {
    // python3: hmac.new(bytes(range(32)), b"mcp_agt_" + b"00" * 32, hashlib.sha256).hexdigest()
    TokenHasher hasher(key_with_first_byte(0));
    EXPECT_EQ(hex(hasher.hash(kToken)),
              "ef42ed7a842289b30b047c856aa7c6a98ce1788e7a0fc20131e36eb447320367");
}

TEST(TokenHasher, IsDeterministicPerKeyAndDiffersAcrossKeysAndTokens) {
    TokenHasher a(key_with_first_byte(0));
    TokenHasher a_again(key_with_first_byte(0));
    TokenHasher b(key_with_first_byte(1));
    EXPECT_EQ(a.hash(kToken), a.hash(kToken));
    EXPECT_EQ(a.hash(kToken), a_again.hash(kToken));
    EXPECT_NE(a.hash(kToken), b.hash(kToken));
    EXPECT_NE(a.hash(kToken), a.hash("mcp_agt_" + std::string(64, '1')));
}

TEST(TokenHasher, ConcurrentCallersGetTheSameResult) {
    TokenHasher hasher(key_with_first_byte(7));
    const auto expected = hasher.hash(kToken);
    std::vector<std::thread> threads;
    std::atomic<int> mismatches{0};
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&] {
            for (int i = 0; i < 2000; ++i) {
                if (hasher.hash(kToken) != expected) ++mismatches;
            }
        });
    }
    for (auto& th : threads) th.join();
    EXPECT_EQ(mismatches.load(), 0);
}

TEST(TokenHasher, RepeatedCallsOnOneThreadKeepGivingTheKnownAnswer) {
    // The thread's context is re-initialised between calls: a leftover of the previous token
    // would change every answer after the first.
    TokenHasher hasher(key_with_first_byte(0));
    for (int i = 0; i < 3; ++i) {
        EXPECT_EQ(hex(hasher.hash(kToken)),
                  "ef42ed7a842289b30b047c856aa7c6a98ce1788e7a0fc20131e36eb447320367");
        (void)hasher.hash("mcp_agt_" + std::string(64, 'f'));
    }
}

TEST(TokenHasher, AlternatingHashersOnOneThreadEachUseTheirOwnKey) {
    TokenHasher a(key_with_first_byte(0));
    TokenHasher b(key_with_first_byte(1));
    const auto from_a = a.hash(kToken);
    const auto from_b = b.hash(kToken);
    for (int i = 0; i < 3; ++i) {
        EXPECT_EQ(a.hash(kToken), from_a);
        EXPECT_EQ(b.hash(kToken), from_b);
    }
}

TEST(TokenHasher, AReplacedHasherNeverHashesWithTheKeyItReplaced) {
    // A new key loaded into the same storage must not find the old key's context on this thread.
    std::optional<TokenHasher> hasher;
    hasher.emplace(key_with_first_byte(0));
    const auto old_hash = hasher->hash(kToken);
    hasher.reset();
    hasher.emplace(key_with_first_byte(1));
    EXPECT_NE(hasher->hash(kToken), old_hash);
    EXPECT_EQ(hasher->hash(kToken), TokenHasher(key_with_first_byte(1)).hash(kToken));
}

TEST(TokenHasher, FingerprintIdentifiesTheKeyWithoutRevealingIt) {
    TokenHasher a(key_with_first_byte(0));
    TokenHasher b(key_with_first_byte(1));
    EXPECT_EQ(a.key_fingerprint(), TokenHasher(key_with_first_byte(0)).key_fingerprint());
    EXPECT_NE(a.key_fingerprint(), b.key_fingerprint());
    EXPECT_EQ(a.key_fingerprint().size(), 64U);
    EXPECT_EQ(a.key_fingerprint().find("000102030405"), std::string::npos);
}

TEST(TokenHashEqual, ComparesAllBytes) {
    TokenHash x{};
    TokenHash y{};
    EXPECT_TRUE(TokenHashEqual{}(x, y));
    y[31] = 1;
    EXPECT_FALSE(TokenHashEqual{}(x, y));
}

TEST(TokenHasher, RepeatedHashingGivesWhatHashGivesForEveryTokenAndKey) {
    TokenHasher a(key_with_first_byte(0));
    const std::string other = "mcp_agt_" + std::string(64, '1');
    const std::string longer = "mcp_agt_" + std::string(200, '2');  // too long to remember
    for (int i = 0; i < 3; ++i) {
        EXPECT_EQ(hex(a.hash_repeated(kToken)),
                  "ef42ed7a842289b30b047c856aa7c6a98ce1788e7a0fc20131e36eb447320367");
        EXPECT_EQ(a.hash_repeated(kToken), a.hash(kToken));
        EXPECT_EQ(a.hash_repeated(other), a.hash(other));
        EXPECT_EQ(a.hash_repeated(longer), a.hash(longer));
    }
    // A prefix of the remembered token is another token.
    (void)a.hash_repeated(kToken);
    EXPECT_EQ(a.hash_repeated(kToken.substr(0, 40)), a.hash(kToken.substr(0, 40)));
}

TEST(TokenHasher, ARememberedTokenIsNotReusedByAHasherWithAnotherKey) {
    std::optional<TokenHasher> first(std::in_place, key_with_first_byte(0));
    const auto under_first = first->hash_repeated(kToken);
    first.reset();
    // Likely at the same address as the first: only the key may decide the answer.
    TokenHasher second(key_with_first_byte(1));
    EXPECT_NE(second.hash_repeated(kToken), under_first);
    EXPECT_EQ(second.hash_repeated(kToken), second.hash(kToken));
}
