#pragma once

#include <openssl/evp.h>
#include <openssl/x509.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

namespace mcpproxy::mtls {

struct KeyDeleter {
    void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
struct CertDeleter {
    void operator()(X509* c) const { X509_free(c); }
};
using KeyPtr = std::unique_ptr<EVP_PKEY, KeyDeleter>;
using CertPtr = std::unique_ptr<X509, CertDeleter>;

// What a certificate says. Validity defaults to [now - 1 min, now + days].
struct CertSpec {
    std::string common_name;
    std::vector<std::string> dns;
    std::vector<std::string> ips;
    std::vector<std::string> uris;
    std::vector<std::string> emails;
    bool is_ca = false;
    bool server_auth = false;
    bool client_auth = false;
    std::chrono::system_clock::time_point not_before =
        std::chrono::system_clock::now() - std::chrono::minutes(1);
    std::chrono::system_clock::time_point not_after =
        std::chrono::system_clock::now() + std::chrono::hours(24 * 365);
};

// An ECDSA P-256 key. Throws std::runtime_error when OpenSSL fails.
[[nodiscard]] KeyPtr generate_key();
// Signs spec for subject_key with issuer (self-signed when issuer is null) using SHA-256.
[[nodiscard]] CertPtr issue_certificate(const CertSpec& spec, EVP_PKEY* subject_key, X509* issuer,
                                        EVP_PKEY* issuer_key);
[[nodiscard]] std::string certificate_pem(X509* cert);
[[nodiscard]] std::string private_key_pem(EVP_PKEY* key);  // a secret: write it 0600, never log it

}  // namespace mcpproxy::mtls
