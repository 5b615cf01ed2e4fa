#include "tests/integration/tunnel-cloudflared/jwt_signer.hpp"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

#include <stdexcept>

namespace mcpproxy::test {
namespace {

std::string bn_bytes(const EVP_PKEY* key, const char* name) {
    BIGNUM* bn = nullptr;
    if (EVP_PKEY_get_bn_param(key, name, &bn) != 1)
        throw std::runtime_error("cannot read RSA parameter");
    std::string out(static_cast<std::size_t>(BN_num_bytes(bn)), '\0');
    BN_bn2bin(bn, reinterpret_cast<unsigned char*>(out.data()));
    BN_free(bn);
    return out;
}

}  // namespace

std::string base64url(std::string_view bytes) {
    static const char* chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    std::string out;
    unsigned value = 0;
    int bits = 0;
    for (const unsigned char c : bytes) {
        value = (value << 8) | c;
        bits += 8;
        while (bits >= 6) {
            out += chars[(value >> (bits - 6)) & 0x3F];
            bits -= 6;
        }
    }
    if (bits > 0) out += chars[(value << (6 - bits)) & 0x3F];
    return out;
}

RsaKey::RsaKey() : key_(EVP_RSA_gen(2048), EVP_PKEY_free) {
    if (!key_) throw std::runtime_error("cannot generate an RSA key");
}

nlohmann::json RsaKey::jwk(const std::string& kid) const {
    return {{"kid", kid},
            {"kty", "RSA"},
            {"alg", "RS256"},
            {"use", "sig"},
            {"n", base64url(bn_bytes(key_.get(), OSSL_PKEY_PARAM_RSA_N))},
            {"e", base64url(bn_bytes(key_.get(), OSSL_PKEY_PARAM_RSA_E))}};
}

std::string RsaKey::sign(std::string_view data) const {
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> md(EVP_MD_CTX_new(), EVP_MD_CTX_free);
    std::size_t len = 0;
    if (EVP_DigestSignInit_ex(md.get(), nullptr, "SHA256", nullptr, nullptr, key_.get(), nullptr) !=
            1 ||
        EVP_DigestSign(md.get(), nullptr, &len, reinterpret_cast<const unsigned char*>(data.data()),
                       data.size()) != 1) {
        throw std::runtime_error("cannot sign");
    }
    std::string sig(len, '\0');
    if (EVP_DigestSign(md.get(), reinterpret_cast<unsigned char*>(sig.data()), &len,
                       reinterpret_cast<const unsigned char*>(data.data()), data.size()) != 1) {
        throw std::runtime_error("cannot sign");
    }
    sig.resize(len);
    return sig;
}

std::string make_jwt(const RsaKey& key, const std::string& kid, const nlohmann::json& payload) {
    const nlohmann::json header{{"alg", "RS256"}, {"kid", kid}, {"typ", "JWT"}};
    const auto signed_part = base64url(header.dump()) + "." + base64url(payload.dump());
    return signed_part + "." + base64url(key.sign(signed_part));
}

std::string jwks_document(const std::vector<std::pair<std::string, const RsaKey*>>& keys) {
    nlohmann::json doc{{"keys", nlohmann::json::array()}};
    for (const auto& [kid, key] : keys) doc["keys"].push_back(key->jwk(kid));
    return doc.dump();
}

}  // namespace mcpproxy::test
