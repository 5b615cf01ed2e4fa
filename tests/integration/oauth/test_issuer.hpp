#pragma once

// A small OAuth issuer for the tests, over real HTTP on loopback: RFC 8414 metadata and a JWKS
// whose keys the test rotates, plus the signing side (RS256, ES256, EdDSA JWTs).

#include <openssl/evp.h>

#include <boost/asio.hpp>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

namespace mcpproxy::test::oauth {

struct SigningKey {
    std::string kid;
    std::string alg;  // RS256, ES256, EdDSA
    std::shared_ptr<EVP_PKEY> key;
};

SigningKey make_signing_key(const std::string& kid, const std::string& alg);
nlohmann::json public_jwk(const SigningKey& key);
// header {"alg", "kid", "typ": "at+jwt"} + claims, signed with key.
std::string sign_jwt(const SigningKey& key, const nlohmann::json& claims);

class TestIssuer {
public:
    TestIssuer();
    ~TestIssuer();
    TestIssuer(const TestIssuer&) = delete;
    TestIssuer& operator=(const TestIssuer&) = delete;

    [[nodiscard]] std::string issuer() const;    // http://127.0.0.1:PORT
    void publish(std::vector<SigningKey> keys);  // what the JWKS serves from now on
    [[nodiscard]] int jwks_fetches() const;

private:
    void accept();

    boost::asio::io_context io_;
    boost::asio::ip::tcp::acceptor acceptor_;
    std::thread thread_;
    mutable std::mutex mutex_;
    std::vector<SigningKey> keys_;
    int jwks_fetches_ = 0;
};

}  // namespace mcpproxy::test::oauth
