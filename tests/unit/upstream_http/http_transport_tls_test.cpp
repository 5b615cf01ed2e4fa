#include <gtest/gtest.h>

#include <set>

#include "fake_mcp_server.hpp"
#include "test_certificate.hpp"
#include "tests/support/temp_dir.hpp"
#include "transport_harness.hpp"

namespace mcpproxy::test {
namespace {

class HttpsTransport : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        certificate_ = new TestCertificate(make_self_signed_certificate({"DNS:localhost"}));
    }
    static void TearDownTestSuite() { delete certificate_; }

    FakeMcpServer::Options tls_options() const {
        return {.issue_session = true,
                .allow_get = false,
                .cert_pem = certificate_->cert_pem,
                .key_pem = certificate_->key_pem};
    }
    std::string ca_file() {
        dir_.write("ca.pem", certificate_->cert_pem);
        return (dir_ / "ca.pem").string();
    }

    static std::string initialize_error(TransportHarness& h) {
        try {
            h.initialize();
        } catch (const std::exception& e) {
            return e.what();
        }
        return "<no error>";
    }

    static TestCertificate* certificate_;
    TempDir dir_;
};
TestCertificate* HttpsTransport::certificate_ = nullptr;

TEST_F(HttpsTransport, RefusesAnUntrustedCertificateByDefault) {
    FakeMcpServer server(tls_options());
    TransportHarness h(server.url("localhost"));
    h.open();
    const std::string error = initialize_error(h);
    EXPECT_NE(error.find("certificate verify failed"), std::string::npos) << error;
    EXPECT_NE(error.find("TLS handshake with localhost:"), std::string::npos) << error;
}

TEST_F(HttpsTransport, TrustsTheConfiguredCaFile) {
    FakeMcpServer server(tls_options());
    auto config = TransportHarness::config_for(server.url("localhost"));
    config.ca_file = ca_file();
    TransportHarness h(config);
    h.open();
    h.initialize();
    h.send(request(2, "echo"));
    ASSERT_TRUE(h.wait_response(2));
    h.send(request(3, "echo"));
    ASSERT_TRUE(h.wait_response(3));
    std::set<int> used;
    for (const auto& r : server.requests()) {
        if (r.rpc_method == "echo") used.insert(r.connection);
    }
    EXPECT_EQ(used.size(), 1u) << "TLS connections are reused too";
}

TEST_F(HttpsTransport, ChecksTheHostNameEvenWithATrustedCa) {
    FakeMcpServer server(tls_options());
    auto config =
        TransportHarness::config_for(server.url("127.0.0.1"));  // cert names localhost only
    config.ca_file = ca_file();
    TransportHarness h(config);
    h.open();
    const std::string error = initialize_error(h);
    EXPECT_NE(error.find("certificate verify failed"), std::string::npos) << error;
    EXPECT_NE(error.find("mismatch"), std::string::npos) << error;
}

TEST_F(HttpsTransport, VerificationCanBeTurnedOffWithOneWarning) {
    FakeMcpServer server(tls_options());
    auto config = TransportHarness::config_for(server.url("127.0.0.1"));
    config.tls_verify = false;
    TransportHarness h(config);
    h.open();
    h.initialize();
    const std::string log = h.log_text();
    EXPECT_NE(log.find("verification is off"), std::string::npos) << log;
}

TEST_F(HttpsTransport, AMissingCaFileFailsAtOpen) {
    auto config = TransportHarness::config_for("https://localhost:1/mcp");
    config.ca_file = (dir_ / "missing.pem").string();
    TransportHarness h(config);
    try {
        h.open();
        FAIL() << "open accepted a missing ca_file";
    } catch (const std::exception& e) {
        EXPECT_NE(std::string(e.what()).find("missing.pem"), std::string::npos) << e.what();
    }
}

}  // namespace
}  // namespace mcpproxy::test
