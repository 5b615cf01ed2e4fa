#include "access_jwt.hpp"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include <nlohmann/json.hpp>
#include <optional>

namespace mcpproxy::tunnel_cloudflared {
namespace {

std::optional<std::string> base64url_decode(std::string_view in) {
    std::string out;
    unsigned value = 0;
    int bits = -8;
    for (const char c : in) {
        int d = -1;
        if (c >= 'A' && c <= 'Z')
            d = c - 'A';
        else if (c >= 'a' && c <= 'z')
            d = c - 'a' + 26;
        else if (c >= '0' && c <= '9')
            d = c - '0' + 52;
        else if (c == '-' || c == '+')
            d = 62;
        else if (c == '_' || c == '/')
            d = 63;
        else if (c == '=')
            break;
        else
            return std::nullopt;
        value = (value << 6) | static_cast<unsigned>(d);
        bits += 6;
        if (bits >= 0) {
            out.push_back(static_cast<char>((value >> bits) & 0xFFU));
            bits -= 8;
        }
    }
    return out;
}

std::shared_ptr<EVP_PKEY> rsa_public_key(const std::string& n_b64, const std::string& e_b64) {
    const auto n = base64url_decode(n_b64);
    const auto e = base64url_decode(e_b64);
    if (!n || !e || n->size() < 256 || e->empty()) return nullptr;  // at least RSA-2048
    std::unique_ptr<BIGNUM, decltype(&BN_free)> bn_n(
        BN_bin2bn(reinterpret_cast<const unsigned char*>(n->data()), static_cast<int>(n->size()),
                  nullptr),
        BN_free);
    std::unique_ptr<BIGNUM, decltype(&BN_free)> bn_e(
        BN_bin2bn(reinterpret_cast<const unsigned char*>(e->data()), static_cast<int>(e->size()),
                  nullptr),
        BN_free);
    std::unique_ptr<OSSL_PARAM_BLD, decltype(&OSSL_PARAM_BLD_free)> bld(OSSL_PARAM_BLD_new(),
                                                                        OSSL_PARAM_BLD_free);
    if (!bn_n || !bn_e || !bld ||
        OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_N, bn_n.get()) != 1 ||
        OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_E, bn_e.get()) != 1) {
        return nullptr;
    }
    std::unique_ptr<OSSL_PARAM, decltype(&OSSL_PARAM_free)> params(
        OSSL_PARAM_BLD_to_param(bld.get()), OSSL_PARAM_free);
    std::unique_ptr<EVP_PKEY_CTX, decltype(&EVP_PKEY_CTX_free)> ctx(
        EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr), EVP_PKEY_CTX_free);
    EVP_PKEY* pkey = nullptr;
    if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
        EVP_PKEY_fromdata(ctx.get(), &pkey, EVP_PKEY_PUBLIC_KEY, params.get()) != 1) {
        return nullptr;
    }
    return {pkey, EVP_PKEY_free};
}

bool verify_rs256(EVP_PKEY* key, std::string_view signed_part, const std::string& signature) {
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> md(EVP_MD_CTX_new(), EVP_MD_CTX_free);
    if (!md ||
        EVP_DigestVerifyInit_ex(md.get(), nullptr, "SHA256", nullptr, nullptr, key, nullptr) != 1) {
        return false;
    }
    return EVP_DigestVerify(
               md.get(), reinterpret_cast<const unsigned char*>(signature.data()), signature.size(),
               reinterpret_cast<const unsigned char*>(signed_part.data()), signed_part.size()) == 1;
}

bool audience_matches(const nlohmann::json& aud, const std::string& expected) {
    if (aud.is_string()) return aud.get<std::string>() == expected;
    if (aud.is_array()) {
        for (const auto& a : aud) {
            if (a.is_string() && a.get<std::string>() == expected) return true;
        }
    }
    return false;
}

}  // namespace

std::string_view to_string(AccessCheck check) {
    switch (check) {
        case AccessCheck::ok:
            return "ok";
        case AccessCheck::missing:
            return "no Cf-Access-Jwt-Assertion header";
        case AccessCheck::malformed:
            return "malformed token";
        case AccessCheck::unsupported_alg:
            return "algorithm is not RS256";
        case AccessCheck::unknown_key:
            return "signed with a key not in the team's JWKS";
        case AccessCheck::bad_signature:
            return "bad signature";
        case AccessCheck::wrong_issuer:
            return "wrong issuer";
        case AccessCheck::wrong_audience:
            return "wrong audience";
        case AccessCheck::expired:
            return "expired";
        case AccessCheck::not_yet_valid:
            return "not valid yet";
    }
    return "unknown";
}

AccessVerifier::AccessVerifier(AccessConfig config, Fetch fetch, Clock now)
    : config_(std::move(config)), fetch_(std::move(fetch)), now_(std::move(now)) {}

std::string AccessVerifier::error() const {
    std::lock_guard lock(mutex_);
    return error_;
}

std::size_t AccessVerifier::fetches() const {
    std::lock_guard lock(mutex_);
    return fetches_;
}

std::shared_ptr<EVP_PKEY> AccessVerifier::key(const std::string& kid) const {
    std::lock_guard lock(mutex_);
    const auto it = keys_.find(kid);
    return it == keys_.end() ? nullptr : it->second;
}

bool AccessVerifier::fetch_keys(bool only_if_allowed) {
    std::lock_guard fetching(fetch_mutex_);
    {
        std::lock_guard lock(mutex_);
        if (only_if_allowed && fetched_once_ &&
            std::chrono::steady_clock::now() - last_fetch_ < config_.min_refetch) {
            return false;
        }
        last_fetch_ = std::chrono::steady_clock::now();
        fetched_once_ = true;
        ++fetches_;
    }
    const auto reply = fetch_(config_.certs_url);
    std::string problem;
    std::map<std::string, std::shared_ptr<EVP_PKEY>> keys;
    if (reply.status != 200) {
        problem = "cannot fetch the Access keys from " + config_.certs_url + ": " +
                  (reply.status == 0 ? reply.error : "HTTP " + std::to_string(reply.status));
    } else {
        const auto json = nlohmann::json::parse(reply.body, nullptr, false);
        if (json.is_object() && json.contains("keys") && json["keys"].is_array()) {
            for (const auto& k : json["keys"]) {
                if (!k.is_object() || k.value("kty", "") != "RSA" || !k.contains("kid")) continue;
                auto pkey = rsa_public_key(k.value("n", ""), k.value("e", ""));
                if (pkey) keys[k.value("kid", "")] = std::move(pkey);
            }
        }
        if (keys.empty())
            problem = "the Access keys at " + config_.certs_url + " hold no usable RSA key";
    }
    std::lock_guard lock(mutex_);
    error_ = problem;
    if (!keys.empty()) keys_ = std::move(keys);
    return problem.empty();
}

bool AccessVerifier::refresh_if_due() {
    bool due = false;
    {
        std::lock_guard lock(mutex_);
        due = !fetched_once_ || std::chrono::steady_clock::now() - last_fetch_ >= config_.refresh ||
              (keys_.empty() &&
               std::chrono::steady_clock::now() - last_fetch_ >= config_.min_refetch);
    }
    if (due) fetch_keys(false);
    std::lock_guard lock(mutex_);
    return !keys_.empty();
}

AccessCheck AccessVerifier::verify(std::string_view token) {
    if (token.empty()) return AccessCheck::missing;
    const auto dot1 = token.find('.');
    const auto dot2 = dot1 == std::string_view::npos ? dot1 : token.find('.', dot1 + 1);
    if (dot2 == std::string_view::npos || token.find('.', dot2 + 1) != std::string_view::npos) {
        return AccessCheck::malformed;
    }
    const auto header_text = base64url_decode(token.substr(0, dot1));
    const auto payload_text = base64url_decode(token.substr(dot1 + 1, dot2 - dot1 - 1));
    const auto signature = base64url_decode(token.substr(dot2 + 1));
    if (!header_text || !payload_text || !signature) return AccessCheck::malformed;
    const auto header = nlohmann::json::parse(*header_text, nullptr, false);
    const auto payload = nlohmann::json::parse(*payload_text, nullptr, false);
    if (!header.is_object() || !payload.is_object()) return AccessCheck::malformed;
    if (header.value("alg", "") != "RS256") return AccessCheck::unsupported_alg;
    const auto kid = header.value("kid", "");
    auto pkey = key(kid);
    if (!pkey) {
        // Look again even when this call did not fetch: another thread's fetch (the first one
        // at start, say) may have been in flight and has just stored the key.
        fetch_keys(true);
        pkey = key(kid);
    }
    if (!pkey) return AccessCheck::unknown_key;
    if (!verify_rs256(pkey.get(), token.substr(0, dot2), *signature))
        return AccessCheck::bad_signature;

    if (!payload.contains("iss") || !payload["iss"].is_string() ||
        payload["iss"].get<std::string>() != config_.issuer) {
        return AccessCheck::wrong_issuer;
    }
    if (!payload.contains("aud") || !audience_matches(payload["aud"], config_.audience)) {
        return AccessCheck::wrong_audience;
    }
    const auto now =
        std::chrono::duration_cast<std::chrono::seconds>(now_().time_since_epoch()).count();
    const auto leeway = config_.leeway.count();
    if (!payload.contains("exp") || !payload["exp"].is_number() ||
        payload["exp"].get<double>() + leeway <= now) {
        return AccessCheck::expired;
    }
    if (payload.contains("nbf") && payload["nbf"].is_number() &&
        payload["nbf"].get<double>() - leeway > now) {
        return AccessCheck::not_yet_valid;
    }
    return AccessCheck::ok;
}

}  // namespace mcpproxy::tunnel_cloudflared
