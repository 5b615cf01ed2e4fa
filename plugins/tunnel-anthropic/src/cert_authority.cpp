#include "cert_authority.hpp"

#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <cstdio>
#include <ctime>
#include <stdexcept>

namespace mcpproxy::tunnel_anthropic {
namespace {

[[noreturn]] void fail(const std::string& what) {
    throw std::runtime_error("OpenSSL: " + what);
}

KeyPtr make_p256_key() {
    EVP_PKEY* key = EVP_EC_gen("P-256");
    if (key == nullptr) fail("cannot generate a P-256 key");
    return {key, EVP_PKEY_free};
}

void add_extension(X509* cert, X509* issuer, int nid, const char* value) {
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
    X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
    if (ext == nullptr)
        fail(std::string("cannot build extension ") + OBJ_nid2sn(nid) + "=" + value);
    const int ok = X509_add_ext(cert, ext, -1);
    X509_EXTENSION_free(ext);
    if (ok != 1) fail(std::string("cannot add extension ") + OBJ_nid2sn(nid));
}

CertPtr new_certificate(EVP_PKEY* subject_key, const std::string& common_name,
                        std::chrono::hours validity) {
    CertPtr cert(X509_new(), X509_free);
    if (!cert || X509_set_version(cert.get(), 2) != 1) fail("cannot create a certificate");
    // A random positive 127-bit serial.
    std::unique_ptr<BIGNUM, decltype(&BN_free)> serial(BN_new(), BN_free);
    if (!serial || BN_rand(serial.get(), 127, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY) != 1 ||
        BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(cert.get())) == nullptr) {
        fail("cannot set a serial number");
    }
    // Five minutes of back-dating absorb clock skew between here and the verifier.
    X509_gmtime_adj(X509_getm_notBefore(cert.get()), -300);
    X509_gmtime_adj(
        X509_getm_notAfter(cert.get()),
        static_cast<long>(std::chrono::duration_cast<std::chrono::seconds>(validity).count()));
    X509_NAME* name = X509_get_subject_name(cert.get());
    if (X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8,
                                   reinterpret_cast<const unsigned char*>("mcpproxy"), -1, -1,
                                   0) != 1 ||
        X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                                   reinterpret_cast<const unsigned char*>(common_name.c_str()), -1,
                                   -1, 0) != 1) {
        fail("cannot set the subject name");
    }
    if (X509_set_pubkey(cert.get(), subject_key) != 1) fail("cannot set the public key");
    return cert;
}

void sign(X509* cert, EVP_PKEY* key) {
    if (X509_sign(cert, key, EVP_sha256()) == 0) fail("cannot sign the certificate");
}

std::string bio_text(BIO* bio) {
    char* data = nullptr;
    const long n = BIO_get_mem_data(bio, &data);
    return n > 0 ? std::string(data, static_cast<std::size_t>(n)) : std::string();
}

}  // namespace

Issued make_ca(const std::string& common_name, std::chrono::hours validity) {
    auto key = make_p256_key();
    auto cert = new_certificate(key.get(), common_name, validity);
    if (X509_set_issuer_name(cert.get(), X509_get_subject_name(cert.get())) != 1)
        fail("cannot set the issuer");
    add_extension(cert.get(), cert.get(), NID_basic_constraints, "critical,CA:TRUE");
    add_extension(cert.get(), cert.get(), NID_key_usage, "critical,keyCertSign,cRLSign");
    add_extension(cert.get(), cert.get(), NID_subject_key_identifier, "hash");
    sign(cert.get(), key.get());
    return {key, cert};
}

Issued make_server_certificate(const Issued& ca, const std::string& domain,
                               std::chrono::hours validity) {
    auto key = make_p256_key();
    auto cert = new_certificate(key.get(), "*." + domain, validity);
    if (X509_set_issuer_name(cert.get(), X509_get_subject_name(ca.cert.get())) != 1)
        fail("cannot set the issuer");
    add_extension(cert.get(), ca.cert.get(), NID_basic_constraints, "critical,CA:FALSE");
    add_extension(cert.get(), ca.cert.get(), NID_key_usage, "critical,digitalSignature");
    add_extension(cert.get(), ca.cert.get(), NID_ext_key_usage, "serverAuth");
    const auto san = "DNS:*." + domain;
    add_extension(cert.get(), ca.cert.get(), NID_subject_alt_name, san.c_str());
    add_extension(cert.get(), ca.cert.get(), NID_subject_key_identifier, "hash");
    add_extension(cert.get(), ca.cert.get(), NID_authority_key_identifier, "keyid:always");
    sign(cert.get(), ca.key.get());
    return {key, cert};
}

std::string pem_of_certificate(X509* cert) {
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
    if (!bio || PEM_write_bio_X509(bio.get(), cert) != 1) fail("cannot encode the certificate");
    return bio_text(bio.get());
}

std::string pem_of_private_key(EVP_PKEY* key) {
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
    if (!bio ||
        PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) != 1) {
        fail("cannot encode the private key");
    }
    return bio_text(bio.get());
}

CertPtr read_certificate(const std::filesystem::path& path) {
    std::unique_ptr<FILE, decltype(&std::fclose)> f(std::fopen(path.c_str(), "rb"), std::fclose);
    if (!f) throw std::runtime_error("cannot read " + path.string());
    X509* cert = PEM_read_X509(f.get(), nullptr, nullptr, nullptr);
    if (cert == nullptr) throw std::runtime_error(path.string() + " holds no PEM certificate");
    return {cert, X509_free};
}

KeyPtr read_private_key(const std::filesystem::path& path) {
    std::unique_ptr<FILE, decltype(&std::fclose)> f(std::fopen(path.c_str(), "rb"), std::fclose);
    if (!f) throw std::runtime_error("cannot read " + path.string());
    EVP_PKEY* key = PEM_read_PrivateKey(f.get(), nullptr, nullptr, nullptr);
    if (key == nullptr) throw std::runtime_error(path.string() + " holds no PEM private key");
    return {key, EVP_PKEY_free};
}

std::chrono::system_clock::time_point not_after(X509* cert) {
    std::tm tm{};
    if (ASN1_TIME_to_tm(X509_get0_notAfter(cert), &tm) != 1) fail("cannot read notAfter");
    return std::chrono::system_clock::from_time_t(timegm(&tm));
}

}  // namespace mcpproxy::tunnel_anthropic

namespace mcpproxy::tunnel_anthropic {

std::string wildcard_domain_of(X509* cert) {
    std::unique_ptr<GENERAL_NAMES, decltype(&GENERAL_NAMES_free)> names(
        static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr)),
        GENERAL_NAMES_free);
    for (int i = 0; names && i < sk_GENERAL_NAME_num(names.get()); ++i) {
        const GENERAL_NAME* name = sk_GENERAL_NAME_value(names.get(), i);
        if (name->type != GEN_DNS) continue;
        const std::string dns(reinterpret_cast<const char*>(ASN1_STRING_get0_data(name->d.dNSName)),
                              static_cast<std::size_t>(ASN1_STRING_length(name->d.dNSName)));
        if (dns.rfind("*.", 0) == 0) return dns.substr(2);
    }
    return {};
}

}  // namespace mcpproxy::tunnel_anthropic
