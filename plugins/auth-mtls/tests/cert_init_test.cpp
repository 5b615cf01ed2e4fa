// `cert init`: the files it writes chain up, keys are 0600, nothing is overwritten without --force.
#include "cert_init.hpp"

#include <gtest/gtest.h>
#include <openssl/pem.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>

#include <fstream>
#include <sstream>

namespace mcpproxy::mtls {
namespace {

std::filesystem::path temp_dir() {
    auto base =
        std::filesystem::temp_directory_path() / ("mtls-cert-init-" + std::to_string(::getpid()));
    std::filesystem::remove_all(base);
    return base;
}

X509* read_cert(const std::filesystem::path& p) {
    FILE* f = std::fopen(p.c_str(), "r");
    if (f == nullptr) return nullptr;
    X509* c = PEM_read_X509(f, nullptr, nullptr, nullptr);
    std::fclose(f);
    return c;
}

unsigned mode_of(const std::filesystem::path& p) {
    struct stat st {};
    ::stat(p.c_str(), &st);
    return st.st_mode & 0777U;
}

bool verifies(X509* ca, X509* leaf) {
    X509_STORE* store = X509_STORE_new();
    X509_STORE_add_cert(store, ca);
    X509_STORE_CTX* ctx = X509_STORE_CTX_new();
    X509_STORE_CTX_init(ctx, store, leaf, nullptr);
    const bool ok = X509_verify_cert(ctx) == 1;
    X509_STORE_CTX_free(ctx);
    X509_STORE_free(store);
    return ok;
}

TEST(CertInit, WritesAChainThatVerifiesWithPrivateKeys) {
    const auto dir = temp_dir() / "pki";
    std::ostringstream out;
    CertInitOptions options;
    options.out = dir;
    options.client_name = "laptop";
    cert_init(options, out);
    for (const char* key : {"ca-key.pem", "server-key.pem", "client-key.pem"})
        EXPECT_EQ(mode_of(dir / key), 0600U) << key;
    EXPECT_EQ(mode_of(dir), 0700U);
    X509* ca = read_cert(dir / "ca.pem");
    X509* server = read_cert(dir / "server.pem");
    X509* client = read_cert(dir / "client.pem");
    ASSERT_TRUE(ca && server && client);
    EXPECT_TRUE(verifies(ca, server));
    EXPECT_TRUE(verifies(ca, client));
    EXPECT_EQ(X509_check_host(server, "localhost", 0, 0, nullptr), 1);
    EXPECT_EQ(X509_check_ip_asc(server, "127.0.0.1", 0), 1);
    X509_free(ca);
    X509_free(server);
    X509_free(client);
    EXPECT_NE(out.str().find("CN=laptop"), std::string::npos);
    EXPECT_EQ(out.str().find("PRIVATE KEY"), std::string::npos);

    EXPECT_THROW(cert_init(options, out), std::runtime_error);  // files exist
    options.force = true;
    EXPECT_NO_THROW(cert_init(options, out));
    std::filesystem::remove_all(dir.parent_path());
}

}  // namespace
}  // namespace mcpproxy::mtls
