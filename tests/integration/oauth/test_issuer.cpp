#include "tests/integration/oauth/test_issuer.hpp"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/rsa.h>

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <stdexcept>

#include "base64url.hpp"

namespace mcpproxy::test::oauth {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using Json = nlohmann::json;
using mcpproxy::oauth::base64url_encode;

namespace {

std::string bn_bytes(const BIGNUM* bn, int pad = 0) {
    const int n = std::max(BN_num_bytes(bn), pad);
    std::string out(static_cast<std::size_t>(n), '\0');
    BN_bn2binpad(bn, reinterpret_cast<unsigned char*>(out.data()), n);
    return out;
}

std::string bn_param(EVP_PKEY* key, const char* name, int pad = 0) {
    BIGNUM* bn = nullptr;
    if (EVP_PKEY_get_bn_param(key, name, &bn) != 1) throw std::runtime_error("no key parameter");
    auto out = bn_bytes(bn, pad);
    BN_free(bn);
    return out;
}

}  // namespace

SigningKey make_signing_key(const std::string& kid, const std::string& alg) {
    EVP_PKEY* k = nullptr;
    if (alg == "RS256")
        k = EVP_RSA_gen(2048);
    else if (alg == "ES256")
        k = EVP_EC_gen("P-256");
    else if (alg == "EdDSA")
        k = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
    if (k == nullptr) throw std::runtime_error("key generation failed for " + alg);
    return {kid, alg, std::shared_ptr<EVP_PKEY>(k, EVP_PKEY_free)};
}

Json public_jwk(const SigningKey& key) {
    EVP_PKEY* k = key.key.get();
    if (key.alg == "RS256") {
        return {{"kty", "RSA"},
                {"kid", key.kid},
                {"use", "sig"},
                {"alg", "RS256"},
                {"n", base64url_encode(bn_param(k, OSSL_PKEY_PARAM_RSA_N))},
                {"e", base64url_encode(bn_param(k, OSSL_PKEY_PARAM_RSA_E))}};
    }
    if (key.alg == "ES256") {
        return {{"kty", "EC"},
                {"kid", key.kid},
                {"use", "sig"},
                {"crv", "P-256"},
                {"x", base64url_encode(bn_param(k, OSSL_PKEY_PARAM_EC_PUB_X, 32))},
                {"y", base64url_encode(bn_param(k, OSSL_PKEY_PARAM_EC_PUB_Y, 32))}};
    }
    std::string raw(32, '\0');
    std::size_t len = raw.size();
    EVP_PKEY_get_raw_public_key(k, reinterpret_cast<unsigned char*>(raw.data()), &len);
    return {{"kty", "OKP"},
            {"kid", key.kid},
            {"use", "sig"},
            {"crv", "Ed25519"},
            {"x", base64url_encode(raw)}};
}

std::string sign_jwt(const SigningKey& key, const Json& claims) {
    const Json header{{"alg", key.alg}, {"kid", key.kid}, {"typ", "at+jwt"}};
    const auto input = base64url_encode(header.dump()) + "." + base64url_encode(claims.dump());
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    const EVP_MD* md = key.alg == "EdDSA" ? nullptr : EVP_sha256();
    EVP_DigestSignInit(ctx, nullptr, md, nullptr, key.key.get());
    std::size_t len = 0;
    EVP_DigestSign(ctx, nullptr, &len, reinterpret_cast<const unsigned char*>(input.data()),
                   input.size());
    std::string sig(len, '\0');
    EVP_DigestSign(ctx, reinterpret_cast<unsigned char*>(sig.data()), &len,
                   reinterpret_cast<const unsigned char*>(input.data()), input.size());
    sig.resize(len);
    EVP_MD_CTX_free(ctx);
    if (key.alg == "ES256") {  // DER -> r || s
        const auto* p = reinterpret_cast<const unsigned char*>(sig.data());
        ECDSA_SIG* s = d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(sig.size()));
        sig = bn_bytes(ECDSA_SIG_get0_r(s), 32) + bn_bytes(ECDSA_SIG_get0_s(s), 32);
        ECDSA_SIG_free(s);
    }
    return input + "." + base64url_encode(sig);
}

TestIssuer::TestIssuer()
    : acceptor_(io_, asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)) {
    accept();
    thread_ = std::thread([this] { io_.run(); });
}

TestIssuer::~TestIssuer() {
    io_.stop();
    thread_.join();
}

std::string TestIssuer::issuer() const {
    return "http://127.0.0.1:" + std::to_string(acceptor_.local_endpoint().port());
}

void TestIssuer::publish(std::vector<SigningKey> keys) {
    std::lock_guard lock(mutex_);
    keys_ = std::move(keys);
}

int TestIssuer::jwks_fetches() const {
    std::lock_guard lock(mutex_);
    return jwks_fetches_;
}

void TestIssuer::accept() {
    acceptor_.async_accept([this](beast::error_code ec, asio::ip::tcp::socket socket) {
        if (ec) return;
        // One request per connection, answered synchronously: the proxy's client sends
        // Connection: close, and these documents are tiny.
        beast::flat_buffer buffer;
        http::request<http::string_body> req;
        beast::error_code rec;
        http::read(socket, buffer, req, rec);
        if (!rec) {
            http::response<http::string_body> res{http::status::ok, 11};
            res.set(http::field::content_type, "application/json");
            const std::string target(req.target());
            if (target == "/.well-known/oauth-authorization-server") {
                res.body() = Json{
                    {"issuer", issuer()},
                    {"jwks_uri", issuer() + "/jwks.json"},
                    {"code_challenge_methods_supported",
                     {"S256"}}}.dump();
            } else if (target == "/jwks.json") {
                Json keys = Json::array();
                std::lock_guard lock(mutex_);
                ++jwks_fetches_;
                for (const auto& k : keys_) keys.push_back(public_jwk(k));
                res.body() = Json{{"keys", keys}}.dump();
            } else {
                res.result(http::status::not_found);
            }
            res.prepare_payload();
            res.keep_alive(false);
            http::write(socket, res, rec);
        }
        beast::error_code ignored;
        socket.shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
        accept();
    });
}

}  // namespace mcpproxy::test::oauth
