#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

using EVP_PKEY = struct evp_pkey_st;
using X509 = struct x509_st;

namespace mcpproxy::tunnel_anthropic {

using KeyPtr = std::shared_ptr<EVP_PKEY>;
using CertPtr = std::shared_ptr<X509>;

struct Issued {
    KeyPtr key;
    CertPtr cert;
};

// The operator CA for the inner TLS between Anthropic and mcp-proxy, made with the OpenSSL 3 API:
// P-256 key, basicConstraints CA:TRUE (critical), keyUsage keyCertSign+cRLSign (critical), SKI.
Issued make_ca(const std::string& common_name, std::chrono::hours validity);
// mcp-proxy's server certificate, signed directly by the CA: P-256 key, SAN DNS:*.<domain>,
// extendedKeyUsage serverAuth, keyUsage digitalSignature (critical), CA:FALSE, SKI and AKI.
Issued make_server_certificate(const Issued& ca, const std::string& domain,
                               std::chrono::hours validity);

std::string pem_of_certificate(X509* cert);
std::string pem_of_private_key(EVP_PKEY* key);  // unencrypted PKCS#8
// Throw std::runtime_error naming the file when it cannot be read.
CertPtr read_certificate(const std::filesystem::path& path);
KeyPtr read_private_key(const std::filesystem::path& path);
// The certificate's notAfter.
std::chrono::system_clock::time_point not_after(X509* cert);
// D from the certificate's first "*.D" DNS name; empty when it has none.
std::string wildcard_domain_of(X509* cert);

}  // namespace mcpproxy::tunnel_anthropic
