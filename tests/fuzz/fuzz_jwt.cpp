// JWT parsing in auth-oauth's resource server: base64url, JWKS documents and validate_jwt. The
// first input byte picks what the rest drives:
//   0: base64url_decode / encode round trips
//   1: parse_jwks on the text, then a token checked against whatever keys it gave
//   2: the text as a token against a fixed Ed25519 key (it can never be valid: nothing signed it)
//   3: "header\npayload" (JSON text, or payload only) signed here with the fixed key, so the
//      claims checks run: a valid verdict needs the right alg, kid and issuer; the same token with
//      a damaged signature, or re-labelled "none", is never valid.
#include <openssl/evp.h>

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <string_view>

#include "base64url.hpp"
#include "jwk_set.hpp"
#include "jwt_validator.hpp"

namespace {

using namespace mcpproxy::oauth;
using Json = nlohmann::json;

constexpr const char* kIssuer = "https://issuer.test";
constexpr const char* kAudience = "https://proxy.test/mcp";
constexpr const char* kKid = "k1";

void require(bool ok) {
    if (!ok) std::abort();
}

struct Signer {
    std::unique_ptr<EVP_PKEY, PublicKeyDeleter> key;
    JwkSet keys;

    Signer() : key(EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519")) {
        require(key != nullptr);
        unsigned char pub[32];
        std::size_t len = sizeof pub;
        require(EVP_PKEY_get_raw_public_key(key.get(), pub, &len) == 1 && len == 32);
        const Json jwks{{"keys",
                         {{{"kty", "OKP"},
                           {"crv", "Ed25519"},
                           {"kid", kKid},
                           {"alg", "EdDSA"},
                           {"x", base64url_encode(std::string_view(
                                     reinterpret_cast<const char*>(pub), len))}}}}};
        keys = parse_jwks(jwks.dump());
        require(keys.size() == 1);
    }

    std::string sign(std::string_view signing_input) const {
        std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(),
                                                                    EVP_MD_CTX_free);
        unsigned char sig[64];
        std::size_t len = sizeof sig;
        require(EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, key.get()) == 1);
        require(EVP_DigestSign(ctx.get(), sig, &len,
                               reinterpret_cast<const unsigned char*>(signing_input.data()),
                               signing_input.size()) == 1);
        return base64url_encode(std::string_view(reinterpret_cast<const char*>(sig), len));
    }
};

const Signer& signer() {
    static const Signer s;
    return s;
}

JwtRules rules() {
    JwtRules r;
    r.issuer = kIssuer;
    r.audience = kAudience;
    return r;
}

std::chrono::system_clock::time_point now() {
    return std::chrono::system_clock::time_point(std::chrono::seconds(1'800'000'000));
}

void fuzz_base64url(std::string_view text) {
    if (const auto bytes = base64url_decode(text)) {
        const auto again = base64url_decode(base64url_encode(*bytes));
        require(again && *again == *bytes);
    }
    const auto encoded = base64url_encode(text);
    require(encoded.find_first_of("+/=") == std::string::npos);
    const auto decoded = base64url_decode(encoded);
    require(decoded && *decoded == text);
}

void fuzz_jwks(std::string_view text) {
    JwkSet keys;
    try {
        keys = parse_jwks(text);
    } catch (const std::invalid_argument&) {
        return;
    }
    for (const auto& [kid, jwk] : keys) {
        require(kid == jwk.kid);
        require(jwk.key != nullptr);
        require(jwk.alg == "RS256" || jwk.alg == "ES256" || jwk.alg == "EdDSA");
    }
    // A token signed by our key must not pass against keys parsed from the input, unless the
    // input holds our public key under the same kid.
    const std::string input = base64url_encode(R"({"alg":"EdDSA","kid":"k1"})") + "." +
                              base64url_encode(R"({"iss":"https://issuer.test"})");
    (void)validate_jwt(input + "." + signer().sign(input), keys, rules(), now());
}

void fuzz_raw_token(std::string_view text) {
    (void)looks_like_jwt(text);
    const auto verdict = validate_jwt(text, signer().keys, rules(), now());
    require(!verdict.valid);
    require(!verdict.error.empty());
}

void fuzz_signed_claims(std::string_view text) {
    std::string header = R"({"alg":"EdDSA","kid":"k1","typ":"JWT"})";
    std::string_view payload = text;
    if (const auto nl = text.find('\n'); nl != std::string_view::npos) {
        header = std::string(text.substr(0, nl));
        payload = text.substr(nl + 1);
    }
    const std::string input = base64url_encode(header) + "." + base64url_encode(payload);
    const std::string signature = signer().sign(input);
    const auto verdict = validate_jwt(input + "." + signature, signer().keys, rules(), now());
    require(verdict.valid == verdict.error.empty());
    if (verdict.valid) {
        const auto h = Json::parse(header, nullptr, false);
        const auto p = Json::parse(payload, nullptr, false);
        require(h.is_object() && h.value("alg", Json()) == "EdDSA" &&
                h.value("kid", Json()) == kKid);
        require(p.is_object() && p.value("iss", Json()) == kIssuer);
    }

    std::string damaged = signature;
    damaged[0] = damaged[0] == 'A' ? 'B' : 'A';
    require(!validate_jwt(input + "." + damaged, signer().keys, rules(), now()).valid);
    const std::string none =
        base64url_encode(R"({"alg":"none","kid":"k1"})") + "." + base64url_encode(payload);
    require(!validate_jwt(none + ".", signer().keys, rules(), now()).valid);
    require(!validate_jwt(none + "." + signature, signer().keys, rules(), now()).valid);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
    switch (data[0] % 4) {
        case 0:
            fuzz_base64url(text);
            break;
        case 1:
            fuzz_jwks(text);
            break;
        case 2:
            fuzz_raw_token(text);
            break;
        default:
            fuzz_signed_claims(text);
            break;
    }
    return 0;
}
