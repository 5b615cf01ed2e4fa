#include "token_hasher.hpp"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>

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
