#pragma once

#include <openssl/evp.h>

#include <map>
#include <memory>
#include <string>
#include <string_view>

namespace mcpproxy::oauth {

struct PublicKeyDeleter {
    void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};

// One verification key of a JWKS: RSA (RS256), EC P-256 (ES256) or OKP Ed25519 (EdDSA).
struct Jwk {
    std::string kid;
    std::string alg;  // the algorithm this key verifies: "RS256", "ES256" or "EdDSA"
    std::shared_ptr<EVP_PKEY> key;
};

// The usable keys of a JWKS document by kid. Keys of other types, curves or uses ("enc") are
// skipped, not errors. Throws std::invalid_argument when the document is not a JWKS at all.
using JwkSet = std::map<std::string, Jwk, std::less<>>;
[[nodiscard]] JwkSet parse_jwks(std::string_view json_text);

}  // namespace mcpproxy::oauth
