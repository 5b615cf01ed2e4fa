#include "jwk_set.hpp"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/param_build.h>

#include <nlohmann/json.hpp>
#include <stdexcept>

#include "base64url.hpp"

namespace mcpproxy::oauth {
namespace {

using Json = nlohmann::json;

std::string field(const Json& j, const char* name) {
    const auto it = j.find(name);
    if (it == j.end() || !it->is_string()) return {};
    const auto decoded = base64url_decode(it->get<std::string>());
    return decoded.value_or("");
}

std::shared_ptr<EVP_PKEY> from_params(const char* type, OSSL_PARAM_BLD* bld) {
    OSSL_PARAM* params = OSSL_PARAM_BLD_to_param(bld);
    EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr);
    EVP_PKEY* key = nullptr;
    if (params != nullptr && ctx != nullptr && EVP_PKEY_fromdata_init(ctx) == 1) {
        if (EVP_PKEY_fromdata(ctx, &key, EVP_PKEY_PUBLIC_KEY, params) != 1) key = nullptr;
    }
    EVP_PKEY_CTX_free(ctx);
    OSSL_PARAM_free(params);
    return std::shared_ptr<EVP_PKEY>(key, PublicKeyDeleter{});
}

std::shared_ptr<EVP_PKEY> rsa_key(const Json& j) {
    const auto n = field(j, "n");
    const auto e = field(j, "e");
    if (n.size() < 256 || e.empty()) return nullptr;  // RSA below 2048 bits is refused
    BIGNUM* bn_n = BN_bin2bn(reinterpret_cast<const unsigned char*>(n.data()),
                             static_cast<int>(n.size()), nullptr);
    BIGNUM* bn_e = BN_bin2bn(reinterpret_cast<const unsigned char*>(e.data()),
                             static_cast<int>(e.size()), nullptr);
    OSSL_PARAM_BLD* bld = OSSL_PARAM_BLD_new();
    std::shared_ptr<EVP_PKEY> key;
    if (bn_n && bn_e && bld && OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, bn_n) == 1 &&
        OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, bn_e) == 1) {
        key = from_params("RSA", bld);
    }
    OSSL_PARAM_BLD_free(bld);
    BN_free(bn_n);
    BN_free(bn_e);
    return key;
}

std::shared_ptr<EVP_PKEY> ec_p256_key(const Json& j) {
    if (j.value("crv", std::string()) != "P-256") return nullptr;
    const auto x = field(j, "x");
    const auto y = field(j, "y");
    if (x.size() != 32 || y.size() != 32) return nullptr;
    std::string point = "\x04" + x + y;
    OSSL_PARAM_BLD* bld = OSSL_PARAM_BLD_new();
    std::shared_ptr<EVP_PKEY> key;
    if (bld &&
        OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0) == 1 &&
        OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, point.data(),
                                         point.size()) == 1) {
        key = from_params("EC", bld);
    }
    OSSL_PARAM_BLD_free(bld);
    return key;
}

std::shared_ptr<EVP_PKEY> ed25519_key(const Json& j) {
    if (j.value("crv", std::string()) != "Ed25519") return nullptr;
    const auto x = field(j, "x");
    if (x.size() != 32) return nullptr;
    EVP_PKEY* key = EVP_PKEY_new_raw_public_key(
        EVP_PKEY_ED25519, nullptr, reinterpret_cast<const unsigned char*>(x.data()), x.size());
    return std::shared_ptr<EVP_PKEY>(key, PublicKeyDeleter{});
}

}  // namespace

JwkSet parse_jwks(std::string_view json_text) {
    Json doc;
    try {
        doc = Json::parse(json_text);
    } catch (const Json::exception&) {
        throw std::invalid_argument("JWKS is not JSON");
    }
    if (!doc.is_object() || !doc.contains("keys") || !doc["keys"].is_array()) {
        throw std::invalid_argument("JWKS has no \"keys\" list");
    }
    JwkSet set;
    for (const auto& j : doc["keys"]) {
        if (!j.is_object()) continue;
        const auto kid = j.value("kid", std::string());
        const auto use = j.value("use", std::string("sig"));
        if (kid.empty() || use != "sig") continue;
        const auto kty = j.value("kty", std::string());
        Jwk jwk;
        jwk.kid = kid;
        if (kty == "RSA") {
            jwk.alg = "RS256";
            jwk.key = rsa_key(j);
        } else if (kty == "EC") {
            jwk.alg = "ES256";
            jwk.key = ec_p256_key(j);
        } else if (kty == "OKP") {
            jwk.alg = "EdDSA";
            jwk.key = ed25519_key(j);
        }
        if (!jwk.key) continue;
        // A key that names its algorithm must name the one its type implies.
        if (j.contains("alg") && j.value("alg", std::string()) != jwk.alg) continue;
        set.emplace(kid, std::move(jwk));
    }
    return set;
}

}  // namespace mcpproxy::oauth
