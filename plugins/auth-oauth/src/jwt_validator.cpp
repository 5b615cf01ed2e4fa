#include "jwt_validator.hpp"

#include <openssl/bn.h>
#include <openssl/ecdsa.h>

#include <cmath>
#include <limits>
#include <memory>

#include "base64url.hpp"

namespace mcpproxy::oauth {
namespace {

using Json = nlohmann::json;

struct Parts {
    std::string_view header, payload, signature;
};

std::optional<Parts> split(std::string_view token) {
    const auto a = token.find('.');
    if (a == std::string_view::npos) return std::nullopt;
    const auto b = token.find('.', a + 1);
    if (b == std::string_view::npos || token.find('.', b + 1) != std::string_view::npos)
        return std::nullopt;
    Parts p{token.substr(0, a), token.substr(a + 1, b - a - 1), token.substr(b + 1)};
    if (p.header.empty() || p.payload.empty() || p.signature.empty()) return std::nullopt;
    return p;
}

std::optional<Json> decode_object(std::string_view part) {
    const auto text = base64url_decode(part);
    if (!text) return std::nullopt;
    auto j = Json::parse(*text, nullptr, false);
    if (j.is_discarded() || !j.is_object()) return std::nullopt;
    return j;
}

// JOSE ES256 signatures are r || s (32 bytes each); OpenSSL wants DER.
std::optional<std::string> ecdsa_der(const std::string& raw) {
    if (raw.size() != 64) return std::nullopt;
    const auto* p = reinterpret_cast<const unsigned char*>(raw.data());
    BIGNUM* r = BN_bin2bn(p, 32, nullptr);
    BIGNUM* s = BN_bin2bn(p + 32, 32, nullptr);
    ECDSA_SIG* sig = ECDSA_SIG_new();
    if (!r || !s || !sig || ECDSA_SIG_set0(sig, r, s) != 1) {
        BN_free(r);
        BN_free(s);
        ECDSA_SIG_free(sig);
        return std::nullopt;
    }
    const int n = i2d_ECDSA_SIG(sig, nullptr);
    std::string der(static_cast<std::size_t>(std::max(n, 0)), '\0');
    auto* out = reinterpret_cast<unsigned char*>(der.data());
    i2d_ECDSA_SIG(sig, &out);
    ECDSA_SIG_free(sig);
    return der;
}

bool verify_signature(const std::string& alg, EVP_PKEY* key, std::string_view signed_part,
                      const std::string& signature) {
    std::string sig = signature;
    const EVP_MD* md = EVP_sha256();
    if (alg == "ES256") {
        auto der = ecdsa_der(signature);
        if (!der) return false;
        sig = std::move(*der);
    } else if (alg == "EdDSA") {
        md = nullptr;
    }
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
    if (!ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, md, nullptr, key) != 1) return false;
    return EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(sig.data()),
                            sig.size(), reinterpret_cast<const unsigned char*>(signed_part.data()),
                            signed_part.size()) == 1;
}

bool audience_matches(const Json& aud, const std::string& wanted) {
    if (aud.is_string()) return aud.get<std::string>() == wanted;
    if (!aud.is_array()) return false;
    for (const auto& a : aud) {
        if (a.is_string() && a.get<std::string>() == wanted) return true;
    }
    return false;
}

// A NumericDate as seconds. Integers as they are; a fraction or an exponent (1.8e103 is valid
// JSON) is clamped to the int64 range, since casting an out-of-range double is undefined.
std::optional<std::int64_t> number_claim(const Json& payload, const char* name) {
    const auto it = payload.find(name);
    if (it == payload.end() || !it->is_number()) return std::nullopt;
    constexpr auto kMax = std::numeric_limits<std::int64_t>::max();
    constexpr auto kMin = std::numeric_limits<std::int64_t>::min();
    if (it->is_number_unsigned()) {
        const auto value = it->get<std::uint64_t>();
        return value > static_cast<std::uint64_t>(kMax) ? kMax : static_cast<std::int64_t>(value);
    }
    if (it->is_number_integer()) return it->get<std::int64_t>();
    const double value = it->get<double>();
    if (std::isnan(value)) return std::nullopt;
    const double limit = std::ldexp(1.0, 63);
    if (value >= limit) return kMax;
    if (value < -limit) return kMin;
    return static_cast<std::int64_t>(value);
}

void add_words(std::set<std::string>& out, const std::string& text) {
    std::size_t i = 0;
    while (i < text.size()) {
        const auto end = text.find(' ', i);
        const auto word = text.substr(i, end == std::string::npos ? std::string::npos : end - i);
        if (!word.empty()) out.insert(word);
        if (end == std::string::npos) break;
        i = end + 1;
    }
}

TokenClaims read_claims(const Json& payload, const JwtRules& rules) {
    TokenClaims c;
    if (payload.contains("sub") && payload["sub"].is_string()) c.subject = payload["sub"];
    if (payload.contains("email") && payload["email"].is_string()) c.email = payload["email"];
    if (payload.contains(rules.groups_claim)) {
        const auto& g = payload[rules.groups_claim];
        if (g.is_array()) {
            for (const auto& x : g) {
                if (x.is_string()) c.groups.push_back(x);
            }
        } else if (g.is_string()) {
            c.groups.push_back(g);
        }
    }
    if (payload.contains("scope") && payload["scope"].is_string())
        add_words(c.scopes, payload["scope"]);
    if (payload.contains("scp")) {
        const auto& s = payload["scp"];
        if (s.is_string()) add_words(c.scopes, s);
        if (s.is_array()) {
            for (const auto& x : s) {
                if (x.is_string()) c.scopes.insert(x.get<std::string>());
            }
        }
    }
    return c;
}

JwtVerdict fail(const char* why) {
    JwtVerdict v;
    v.error = why;
    return v;
}

}  // namespace

bool looks_like_jwt(std::string_view token) {
    const auto parts = split(token);
    if (!parts) return false;
    const auto header = decode_object(parts->header);
    return header && header->contains("alg");
}

JwtVerdict validate_jwt(std::string_view token, const JwkSet& keys, const JwtRules& rules,
                        std::chrono::system_clock::time_point now) {
    try {
        const auto parts = split(token);
        if (!parts) return fail("malformed");
        const auto header = decode_object(parts->header);
        const auto payload = decode_object(parts->payload);
        const auto signature = base64url_decode(parts->signature);
        if (!header || !payload || !signature) return fail("malformed");
        const auto alg = header->value("alg", std::string());
        if (!rules.algorithms.contains(alg)) return fail("unsupported_alg");
        const auto kid = header->value("kid", std::string());
        const auto key = keys.find(kid);
        if (key == keys.end()) return fail("unknown_kid");
        if (key->second.alg != alg) return fail("bad_signature");
        const auto signed_part = token.substr(0, parts->header.size() + 1 + parts->payload.size());
        if (!verify_signature(alg, key->second.key.get(), signed_part, *signature))
            return fail("bad_signature");

        if (payload->value("iss", std::string()) != rules.issuer) return fail("wrong_issuer");
        if (!payload->contains("aud") || !audience_matches((*payload)["aud"], rules.audience)) {
            return fail("wrong_audience");
        }
        const auto t =
            std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
        const auto leeway = rules.leeway.count();
        const auto exp = number_claim(*payload, "exp");
        if (!exp || t - leeway >= *exp) return fail("expired");
        if (const auto nbf = number_claim(*payload, "nbf"); nbf && t + leeway < *nbf)
            return fail("not_yet_valid");
        JwtVerdict v;
        v.valid = true;
        v.claims = read_claims(*payload, rules);
        return v;
    } catch (...) {
        return fail("malformed");
    }
}

}  // namespace mcpproxy::oauth
