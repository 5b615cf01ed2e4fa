#include "upstream/pkce.hpp"

#include <openssl/rand.h>
#include <openssl/sha.h>

#include <limits>
#include <stdexcept>

#include "base64url.hpp"

namespace mcpproxy::oauth {

std::string random_urlsafe(std::size_t bytes) {
    if (bytes == 0 || bytes > 1024) throw std::runtime_error("random request out of range");
    std::string raw(bytes, '\0');
    if (RAND_bytes(reinterpret_cast<unsigned char*>(raw.data()), static_cast<int>(bytes)) != 1) {
        throw std::runtime_error("the system random number generator failed (RAND_bytes)");
    }
    return base64url_encode(raw);
}

std::string s256_challenge(std::string_view verifier) {
    unsigned char digest[SHA256_DIGEST_LENGTH];
    SHA256(reinterpret_cast<const unsigned char*>(verifier.data()), verifier.size(), digest);
    return base64url_encode(
        std::string_view(reinterpret_cast<const char*>(digest), sizeof(digest)));
}

PkcePair make_pkce() {
    PkcePair p;
    p.verifier = random_urlsafe(32);
    p.challenge = s256_challenge(p.verifier);
    return p;
}

}  // namespace mcpproxy::oauth
