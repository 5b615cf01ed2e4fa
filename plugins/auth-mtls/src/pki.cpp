#include "pki.hpp"

#include <openssl/bn.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>

#include <stdexcept>

namespace mcpproxy::mtls {
namespace {

void check(bool ok, const char* what) {
    if (!ok) throw std::runtime_error(std::string("OpenSSL: ") + what + " failed");
}

void set_time(ASN1_TIME* field, std::chrono::system_clock::time_point t) {
    check(ASN1_TIME_set(field, std::chrono::system_clock::to_time_t(t)) != nullptr, "set validity");
}

void add_extension(X509* cert, X509* issuer, int nid, const std::string& value) {
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
    X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str());
    check(ext != nullptr, "build extension");
    const int ok = X509_add_ext(cert, ext, -1);
    X509_EXTENSION_free(ext);
    check(ok == 1, "add extension");
}

std::string bio_text(BIO* bio) {
    char* data = nullptr;
    const long n = BIO_get_mem_data(bio, &data);
    return n > 0 ? std::string(data, static_cast<std::size_t>(n)) : std::string();
}

}  // namespace

KeyPtr generate_key() {
    KeyPtr key(EVP_EC_gen("P-256"));
    check(key != nullptr, "generate an EC key");
    return key;
}

CertPtr issue_certificate(const CertSpec& spec, EVP_PKEY* subject_key, X509* issuer,
                          EVP_PKEY* issuer_key) {
    CertPtr cert(X509_new());
    check(cert != nullptr, "allocate a certificate");
    check(X509_set_version(cert.get(), 2) == 1, "set version");
    unsigned char serial[16];
    check(RAND_bytes(serial, sizeof serial) == 1, "random serial");
    serial[0] &= 0x7FU;  // positive
    BIGNUM* bn = BN_bin2bn(serial, sizeof serial, nullptr);
    check(bn != nullptr && BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert.get())) != nullptr,
          "set serial");
    BN_free(bn);
    set_time(X509_getm_notBefore(cert.get()), spec.not_before);
    set_time(X509_getm_notAfter(cert.get()), spec.not_after);
    X509_NAME* name = X509_get_subject_name(cert.get());
    check(X509_NAME_add_entry_by_txt(
              name, "CN", MBSTRING_UTF8,
              reinterpret_cast<const unsigned char*>(spec.common_name.c_str()), -1, -1, 0) == 1,
          "set the subject");
    check(X509_set_issuer_name(cert.get(),
                               issuer != nullptr ? X509_get_subject_name(issuer) : name) == 1,
          "set the issuer");
    check(X509_set_pubkey(cert.get(), subject_key) == 1, "set the public key");
    X509* signer = issuer != nullptr ? issuer : cert.get();
    if (spec.is_ca) {
        add_extension(cert.get(), signer, NID_basic_constraints, "critical,CA:TRUE,pathlen:0");
        add_extension(cert.get(), signer, NID_key_usage, "critical,keyCertSign,cRLSign");
    } else {
        add_extension(cert.get(), signer, NID_basic_constraints, "critical,CA:FALSE");
        add_extension(cert.get(), signer, NID_key_usage, "critical,digitalSignature");
        std::string eku;
        if (spec.server_auth) eku = "serverAuth";
        if (spec.client_auth) eku += eku.empty() ? "clientAuth" : ",clientAuth";
        if (!eku.empty()) add_extension(cert.get(), signer, NID_ext_key_usage, eku);
    }
    add_extension(cert.get(), signer, NID_subject_key_identifier, "hash");
    if (issuer != nullptr)
        add_extension(cert.get(), signer, NID_authority_key_identifier, "keyid:always");
    std::string san;
    auto append = [&san](const char* kind, const std::vector<std::string>& values) {
        for (const auto& v : values) san += (san.empty() ? "" : ",") + std::string(kind) + ":" + v;
    };
    append("DNS", spec.dns);
    append("IP", spec.ips);
    append("URI", spec.uris);
    append("email", spec.emails);
    if (!san.empty()) add_extension(cert.get(), signer, NID_subject_alt_name, san);
    check(X509_sign(cert.get(), issuer_key != nullptr ? issuer_key : subject_key, EVP_sha256()) > 0,
          "sign the certificate");
    return cert;
}

std::string certificate_pem(X509* cert) {
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), &BIO_free);
    check(bio && PEM_write_bio_X509(bio.get(), cert) == 1, "write a certificate");
    return bio_text(bio.get());
}

std::string private_key_pem(EVP_PKEY* key) {
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), &BIO_free);
    check(
        bio && PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) == 1,
        "write a private key");
    return bio_text(bio.get());
}

}  // namespace mcpproxy::mtls
