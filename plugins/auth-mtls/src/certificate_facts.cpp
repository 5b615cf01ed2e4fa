#include "certificate_facts.hpp"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <cctype>
#include <memory>

namespace mcpproxy::mtls {
namespace {

std::string asn1_text(const ASN1_STRING* s) {
    if (s == nullptr) return {};
    unsigned char* utf8 = nullptr;
    const int n = ASN1_STRING_to_UTF8(&utf8, s);
    if (n < 0) return {};
    std::string out(reinterpret_cast<const char*>(utf8), static_cast<std::size_t>(n));
    OPENSSL_free(utf8);
    return out;
}

std::string one_line_subject(X509_NAME* name) {
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), &BIO_free);
    if (!bio || X509_NAME_print_ex(bio.get(), name, 0, XN_FLAG_RFC2253) < 0) return {};
    char* data = nullptr;
    const long n = BIO_get_mem_data(bio.get(), &data);
    return n > 0 ? std::string(data, static_cast<std::size_t>(n)) : std::string();
}

std::string hex(const unsigned char* data, unsigned size) {
    static const char* digits = "0123456789abcdef";
    std::string out;
    out.reserve(size * 2U);
    for (unsigned i = 0; i < size; ++i) {
        out += digits[data[i] >> 4U];
        out += digits[data[i] & 0xFU];
    }
    return out;
}

}  // namespace

std::optional<CertificateFacts> read_certificate_facts(std::string_view der) {
    const auto* p = reinterpret_cast<const unsigned char*>(der.data());
    std::unique_ptr<X509, decltype(&X509_free)> cert(
        d2i_X509(nullptr, &p, static_cast<long>(der.size())), &X509_free);
    if (!cert) return std::nullopt;
    CertificateFacts facts;
    X509_NAME* subject = X509_get_subject_name(cert.get());
    facts.subject = one_line_subject(subject);
    const int cn = X509_NAME_get_index_by_NID(subject, NID_commonName, -1);
    if (cn >= 0)
        facts.subject_cn = asn1_text(X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subject, cn)));
    auto* names = static_cast<GENERAL_NAMES*>(
        X509_get_ext_d2i(cert.get(), NID_subject_alt_name, nullptr, nullptr));
    if (names != nullptr) {
        for (int i = 0; i < sk_GENERAL_NAME_num(names); ++i) {
            const GENERAL_NAME* g = sk_GENERAL_NAME_value(names, i);
            if (g->type == GEN_DNS)
                facts.san_dns.push_back(asn1_text(g->d.dNSName));
            else if (g->type == GEN_URI)
                facts.san_uri.push_back(asn1_text(g->d.uniformResourceIdentifier));
            else if (g->type == GEN_EMAIL)
                facts.san_email.push_back(asn1_text(g->d.rfc822Name));
        }
        GENERAL_NAMES_free(names);
    }
    for (const auto& uri : facts.san_uri) {
        if (uri.starts_with("spiffe://")) {
            facts.spiffe_id = uri;
            break;
        }
    }
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned size = 0;
    if (EVP_Digest(der.data(), der.size(), digest, &size, EVP_sha256(), nullptr) != 1)
        return std::nullopt;
    facts.fingerprint_sha256 = hex(digest, size);
    return facts;
}

std::string normalize_fingerprint(std::string_view text) {
    std::string out;
    for (const char c : text) {
        if (c == ':' || c == ' ') continue;
        if (!std::isxdigit(static_cast<unsigned char>(c))) return {};
        out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return out.size() == 64 ? out : std::string();
}

}  // namespace mcpproxy::mtls
