#include "tests/integration/mtls/pki_fixture.hpp"

#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <fstream>
#include <stdexcept>

namespace mcpproxy::test::mtls {
namespace {

using mcpproxy::mtls::CertPtr;
using mcpproxy::mtls::CertSpec;
using mcpproxy::mtls::KeyPtr;

void write(const std::filesystem::path& path, const std::string& text) {
    const auto temp = path.string() + ".tmp";
    {
        std::ofstream out(temp, std::ios::binary | std::ios::trunc);
        out << text;
    }
    std::filesystem::rename(temp, path);
}

KeyPtr read_key(const std::filesystem::path& p) {
    FILE* f = std::fopen(p.c_str(), "r");
    if (f == nullptr) throw std::runtime_error("cannot read " + p.string());
    KeyPtr k(PEM_read_PrivateKey(f, nullptr, nullptr, nullptr));
    std::fclose(f);
    return k;
}

CertPtr read_cert(const std::filesystem::path& p) {
    FILE* f = std::fopen(p.c_str(), "r");
    if (f == nullptr) throw std::runtime_error("cannot read " + p.string());
    CertPtr c(PEM_read_X509(f, nullptr, nullptr, nullptr));
    std::fclose(f);
    return c;
}

CertPtr issue(const Pki& pki, const std::string& name, CertSpec spec, X509* ca, EVP_PKEY* ca_key) {
    auto key = mcpproxy::mtls::generate_key();
    auto cert = mcpproxy::mtls::issue_certificate(spec, key.get(), ca, ca_key);
    write(pki.dir / (name + ".pem"), mcpproxy::mtls::certificate_pem(cert.get()));
    write(pki.dir / (name + "-key.pem"), mcpproxy::mtls::private_key_pem(key.get()));
    return cert;
}

std::string crl_pem(X509* ca, EVP_PKEY* ca_key, X509* revoked) {
    X509_CRL* crl = X509_CRL_new();
    X509_CRL_set_version(crl, 1);
    X509_CRL_set_issuer_name(crl, X509_get_subject_name(ca));
    ASN1_TIME* now = ASN1_TIME_set(nullptr, time(nullptr) - 60);
    ASN1_TIME* next = ASN1_TIME_set(nullptr, time(nullptr) + 86400);
    X509_CRL_set1_lastUpdate(crl, now);
    X509_CRL_set1_nextUpdate(crl, next);
    X509_REVOKED* entry = X509_REVOKED_new();
    X509_REVOKED_set_serialNumber(entry, X509_get_serialNumber(revoked));
    X509_REVOKED_set_revocationDate(entry, now);
    X509_CRL_add0_revoked(crl, entry);
    X509_CRL_sort(crl);
    X509_CRL_sign(crl, ca_key, EVP_sha256());
    BIO* bio = BIO_new(BIO_s_mem());
    PEM_write_bio_X509_CRL(bio, crl);
    char* data = nullptr;
    const long n = BIO_get_mem_data(bio, &data);
    std::string out(data, static_cast<std::size_t>(n));
    BIO_free(bio);
    ASN1_TIME_free(now);
    ASN1_TIME_free(next);
    X509_CRL_free(crl);
    return out;
}

CertSpec client(const std::string& cn) {
    CertSpec s;
    s.common_name = cn;
    s.client_auth = true;
    return s;
}

}  // namespace

Pki make_pki(const std::filesystem::path& dir) {
    Pki pki{dir};
    std::filesystem::create_directories(dir);
    auto ca_key = mcpproxy::mtls::generate_key();
    CertSpec ca_spec;
    ca_spec.common_name = "mtls test CA";
    ca_spec.is_ca = true;
    auto ca = mcpproxy::mtls::issue_certificate(ca_spec, ca_key.get(), nullptr, nullptr);
    write(dir / "ca.pem", mcpproxy::mtls::certificate_pem(ca.get()));
    write(dir / "ca-key.pem", mcpproxy::mtls::private_key_pem(ca_key.get()));

    CertSpec server;
    server.common_name = "server-1";
    server.dns = {"localhost"};
    server.ips = {"127.0.0.1"};
    server.server_auth = true;
    issue(pki, "server", server, ca.get(), ca_key.get());

    issue(pki, "mapped", client("agent-a"), ca.get(), ca_key.get());
    issue(pki, "unmapped", client("stranger"), ca.get(), ca_key.get());
    auto expired = client("agent-a");
    expired.not_before = std::chrono::system_clock::now() - std::chrono::hours(72);
    expired.not_after = std::chrono::system_clock::now() - std::chrono::hours(24);
    issue(pki, "expired", expired, ca.get(), ca_key.get());
    auto revoked = issue(pki, "revoked", client("revoked-one"), ca.get(), ca_key.get());
    write(dir / "crl.pem", crl_pem(ca.get(), ca_key.get(), revoked.get()));

    auto other_key = mcpproxy::mtls::generate_key();
    ca_spec.common_name = "another CA";
    auto other = mcpproxy::mtls::issue_certificate(ca_spec, other_key.get(), nullptr, nullptr);
    issue(pki, "wrong-ca", client("agent-a"), other.get(), other_key.get());
    return pki;
}

void rotate_server_certificate(const Pki& pki, const std::string& cn) {
    auto ca = read_cert(pki.dir / "ca.pem");
    auto ca_key = read_key(pki.dir / "ca-key.pem");
    CertSpec server;
    server.common_name = cn;
    server.dns = {"localhost"};
    server.ips = {"127.0.0.1"};
    server.server_auth = true;
    auto key = mcpproxy::mtls::generate_key();
    auto cert = mcpproxy::mtls::issue_certificate(server, key.get(), ca.get(), ca_key.get());
    write(pki.dir / "server-key.pem", mcpproxy::mtls::private_key_pem(key.get()));
    write(pki.dir / "server.pem", mcpproxy::mtls::certificate_pem(cert.get()));
}

}  // namespace mcpproxy::test::mtls
