#include "kernel/net/tls_server_context.hpp"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>

#include <memory>
#include <stdexcept>

namespace mcpproxy::net {
namespace {

// TLS 1.2 suites: ECDHE key exchange and AEAD ciphers only. TLS 1.3 keeps OpenSSL's defaults,
// which are all modern.
constexpr const char* kTls12Ciphers =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";

constexpr unsigned char kSessionContext[] = "mcpproxy";

std::string openssl_error() {
    std::string out;
    while (const unsigned long e = ERR_get_error()) {
        char buf[256];
        ERR_error_string_n(e, buf, sizeof buf);
        if (!out.empty()) out += "; ";
        out += buf;
    }
    return out.empty() ? std::string("unknown OpenSSL error") : out;
}

[[noreturn]] void fail(const std::string& what, const std::string& path) {
    throw std::runtime_error("TLS " + what + " " + path + ": " + openssl_error());
}

// Optional client certificates: the handshake goes on whatever the verdict; the verdict stays in
// SSL_get_verify_result and only a verified certificate reaches the auth bridges.
int accept_any(int /*preverify_ok*/, X509_STORE_CTX* /*ctx*/) {
    return 1;
}

void load_crls(SSL_CTX* ctx, const std::string& path) {
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_file(path.c_str(), "r"), &BIO_free);
    if (!bio) fail("CRL", path);
    X509_STORE* store = SSL_CTX_get_cert_store(ctx);
    int loaded = 0;
    while (X509_CRL* crl = PEM_read_bio_X509_CRL(bio.get(), nullptr, nullptr, nullptr)) {
        const int ok = X509_STORE_add_crl(store, crl);
        X509_CRL_free(crl);
        if (ok != 1) fail("CRL", path);
        ++loaded;
    }
    ERR_clear_error();  // the end of the file reads as an error
    if (loaded == 0) throw std::runtime_error("TLS CRL " + path + ": no PEM CRL in the file");
    X509_STORE_set_flags(store, X509_V_FLAG_CRL_CHECK);
}

}  // namespace

std::shared_ptr<boost::asio::ssl::context> make_server_tls_context(const config::TlsConfig& tls) {
    ERR_clear_error();
    auto context =
        std::make_shared<boost::asio::ssl::context>(boost::asio::ssl::context::tls_server);
    SSL_CTX* ctx = context->native_handle();
    SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
    SSL_CTX_set_options(ctx, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION |
                                 SSL_OP_CIPHER_SERVER_PREFERENCE | SSL_OP_SINGLE_ECDH_USE);
    if (SSL_CTX_set_cipher_list(ctx, kTls12Ciphers) != 1) fail("cipher list", "");
    if (SSL_CTX_use_certificate_chain_file(ctx, tls.cert.c_str()) != 1)
        fail("certificate", tls.cert);
    if (SSL_CTX_use_PrivateKey_file(ctx, tls.key.c_str(), SSL_FILETYPE_PEM) != 1) {
        ERR_clear_error();  // may quote parts of the file: say only what is wrong
        throw std::runtime_error("TLS key " + tls.key + ": not a readable PEM private key");
    }
    if (SSL_CTX_check_private_key(ctx) != 1) {
        ERR_clear_error();
        throw std::runtime_error("TLS key " + tls.key + " does not match the certificate " +
                                 tls.cert);
    }
    SSL_CTX_set_session_id_context(ctx, kSessionContext, sizeof kSessionContext - 1);
    if (!tls.client_ca.empty()) {
        if (SSL_CTX_load_verify_locations(ctx, tls.client_ca.c_str(), nullptr) != 1) {
            fail("client CA bundle", tls.client_ca);
        }
        STACK_OF(X509_NAME)* names = SSL_load_client_CA_file(tls.client_ca.c_str());
        if (names == nullptr) fail("client CA bundle", tls.client_ca);
        SSL_CTX_set_client_CA_list(ctx, names);
        if (!tls.crl.empty()) load_crls(ctx, tls.crl);
        if (tls.require_client_cert) {
            SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nullptr);
        } else {
            SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, accept_any);
        }
        SSL_CTX_set_verify_depth(ctx, 8);
    }
    return context;
}

}  // namespace mcpproxy::net
