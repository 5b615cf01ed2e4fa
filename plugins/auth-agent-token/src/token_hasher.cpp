#include "token_hasher.hpp"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <stdexcept>

namespace mcpproxy::agent_token {
namespace {

struct MacDeleter {
    void operator()(EVP_MAC* m) const noexcept { EVP_MAC_free(m); }
};
struct CtxDeleter {
    void operator()(EVP_MAC_CTX* c) const noexcept { EVP_MAC_CTX_free(c); }
};

std::atomic<std::uint64_t> next_generation{1};

// This thread's working copy of the last hasher's keyed context it used.
struct ThreadContext {
    std::uint64_t generation = 0;
    std::unique_ptr<EVP_MAC_CTX, CtxDeleter> ctx;
};

// The last token a thread hashed (a secret: wiped when replaced and when the thread ends).
struct RecentToken {
    static constexpr std::size_t kMaxSize = 128;  // agent tokens are 72 characters
    std::uint64_t generation = 0;
    std::size_t size = 0;
    std::array<char, kMaxSize> token{};
    TokenHash hash{};

    RecentToken() = default;
    RecentToken(const RecentToken&) = delete;
    RecentToken& operator=(const RecentToken&) = delete;
    ~RecentToken() { OPENSSL_cleanse(token.data(), token.size()); }

    [[nodiscard]] bool holds(std::uint64_t g, std::string_view t) const {
        return generation == g && size == t.size() &&
               CRYPTO_memcmp(token.data(), t.data(), t.size()) == 0;
    }
};

constexpr std::string_view kFingerprintLabel = "mcpproxy auth-agent-token key check v1";

}  // namespace

TokenHasher::TokenHasher(const TokenKey& key)
    : generation_(next_generation.fetch_add(1, std::memory_order_relaxed)) {
    std::unique_ptr<EVP_MAC, MacDeleter> mac(EVP_MAC_fetch(nullptr, "HMAC", nullptr));
    if (!mac) throw std::runtime_error("OpenSSL has no HMAC implementation");
    std::unique_ptr<EVP_MAC_CTX, CtxDeleter> ctx(EVP_MAC_CTX_new(mac.get()));
    if (!ctx) throw std::runtime_error("out of memory creating an HMAC context");
    char digest[] = "SHA256";
    const OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
                                 OSSL_PARAM_construct_end()};
    const auto k = key.bytes();
    if (EVP_MAC_init(ctx.get(), k.data(), k.size(), params) != 1) {
        throw std::runtime_error("cannot initialise HMAC-SHA-256");
    }
    keyed_ = ctx.release();
}

TokenHasher::~TokenHasher() {
    EVP_MAC_CTX_free(keyed_);
}

TokenHash TokenHasher::hash(std::string_view token) const {
    thread_local ThreadContext mine;
    if (mine.generation != generation_) {
        // Duplicating only reads keyed_, so threads may do it concurrently.
        mine.ctx.reset(EVP_MAC_CTX_dup(keyed_));
        mine.generation = mine.ctx ? generation_ : 0;
    }
    TokenHash out{};
    std::size_t len = 0;
    // A null key re-initialises HMAC with the key the context already holds.
    if (!mine.ctx || EVP_MAC_init(mine.ctx.get(), nullptr, 0, nullptr) != 1 ||
        EVP_MAC_update(mine.ctx.get(), reinterpret_cast<const unsigned char*>(token.data()),
                       token.size()) != 1 ||
        EVP_MAC_final(mine.ctx.get(), out.data(), &len, out.size()) != 1 || len != out.size()) {
        mine.generation = 0;
        throw std::runtime_error("HMAC-SHA-256 computation failed");
    }
    return out;
}

TokenHash TokenHasher::hash_repeated(std::string_view token) const {
    thread_local RecentToken recent;
    if (recent.holds(generation_, token)) return recent.hash;
    const TokenHash h = hash(token);
    if (token.size() <= RecentToken::kMaxSize) {
        OPENSSL_cleanse(recent.token.data(), recent.token.size());
        std::copy(token.begin(), token.end(), recent.token.begin());
        recent.size = token.size();
        recent.hash = h;
        recent.generation = generation_;
    }
    return h;
}

std::string TokenHasher::key_fingerprint() const {
    const TokenHash h = hash(kFingerprintLabel);
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    for (unsigned char b : h) {
        out.push_back(kHex[b >> 4U]);
        out.push_back(kHex[b & 0x0FU]);
    }
    return out;
}

}  // namespace mcpproxy::agent_token
