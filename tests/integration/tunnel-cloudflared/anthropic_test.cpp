// tunnel-anthropic: `tunnel anthropic init` output checked with the OpenSSL API (chain, extensions,
// key modes, CA kept on renewal, mcp-proxy.yaml), and the adapter running cloudflared with the
// tunnel token against the fake.
#include <gtest/gtest.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>

#include <fstream>
#include <sstream>

#include "tests/integration/tunnel-cloudflared/cloudflared_harness.hpp"

namespace mcpproxy::test::cloudflared {
namespace {
using tunnel::Workspace;
namespace fs = std::filesystem;

using X509Ptr = std::unique_ptr<X509, decltype(&X509_free)>;

X509Ptr load(const fs::path& path) {
    std::unique_ptr<FILE, decltype(&std::fclose)> f(std::fopen(path.c_str(), "rb"), std::fclose);
    if (!f) return {nullptr, X509_free};
    return {PEM_read_X509(f.get(), nullptr, nullptr, nullptr), X509_free};
}

unsigned mode_of(const fs::path& p) {
    struct stat st {};
    ::stat(p.c_str(), &st);
    return st.st_mode & 0777;
}

std::string read(const fs::path& p) {
    std::ifstream in(p);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

bool verifies(X509* ca, X509* leaf) {
    std::unique_ptr<X509_STORE, decltype(&X509_STORE_free)> store(X509_STORE_new(),
                                                                  X509_STORE_free);
    X509_STORE_add_cert(store.get(), ca);
    std::unique_ptr<X509_STORE_CTX, decltype(&X509_STORE_CTX_free)> ctx(X509_STORE_CTX_new(),
                                                                        X509_STORE_CTX_free);
    X509_STORE_CTX_init(ctx.get(), store.get(), leaf, nullptr);
    X509_STORE_CTX_set_purpose(ctx.get(), X509_PURPOSE_SSL_SERVER);
    return X509_verify_cert(ctx.get()) == 1;
}

std::string digest_hex(const ASN1_OCTET_STRING* s) {
    std::string out;
    char buf[3];
    for (int i = 0; s != nullptr && i < ASN1_STRING_length(s); ++i) {
        std::snprintf(buf, sizeof buf, "%02x", ASN1_STRING_get0_data(s)[i]);
        out += buf;
    }
    return out;
}

TEST(AnthropicInit, WritesAVerifyingChainWithTheRequiredExtensionsAndPrivateKeys) {
    Workspace ws;
    const auto out = ws.path() / "tls";
    const auto r = ws.cli({"tunnel", "anthropic", "init", "--domain", "t-7f3a.tunnels.example.com",
                           "--out", out.string(), "--upstream", "http://10.0.0.5:8080",
                           "--allowed-ips", "10.0.0.0/8, 192.168.1.7"});
    ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
    EXPECT_NE(r.out.find("register ca.crt"), std::string::npos) << r.out;

    EXPECT_EQ(mode_of(out / "ca.key"), 0600U);
    EXPECT_EQ(mode_of(out / "server.key"), 0600U);
    auto ca = load(out / "ca.crt");
    auto leaf = load(out / "server.crt");
    ASSERT_TRUE(ca && leaf);
    EXPECT_TRUE(verifies(ca.get(), leaf.get()))
        << "server.crt does not chain to ca.crt for serverAuth";

    // CA: P-256, CA:TRUE critical, keyCertSign, SKI.
    EXPECT_EQ(EVP_PKEY_get_bits(X509_get0_pubkey(ca.get())), 256);
    EXPECT_TRUE(EVP_PKEY_is_a(X509_get0_pubkey(ca.get()), "EC"));
    int crit = -1;
    auto* bc = static_cast<BASIC_CONSTRAINTS*>(
        X509_get_ext_d2i(ca.get(), NID_basic_constraints, &crit, nullptr));
    ASSERT_NE(bc, nullptr);
    EXPECT_TRUE(bc->ca);
    EXPECT_EQ(crit, 1);
    BASIC_CONSTRAINTS_free(bc);
    EXPECT_TRUE(X509_get_key_usage(ca.get()) & KU_KEY_CERT_SIGN);
    const auto* ca_ski = X509_get0_subject_key_id(ca.get());
    ASSERT_NE(ca_ski, nullptr);

    // Leaf: SAN *.domain only, serverAuth, AKI = CA's SKI, issued by the CA itself, 90 days.
    auto* san = static_cast<GENERAL_NAMES*>(
        X509_get_ext_d2i(leaf.get(), NID_subject_alt_name, nullptr, nullptr));
    ASSERT_NE(san, nullptr);
    ASSERT_EQ(sk_GENERAL_NAME_num(san), 1);
    const GENERAL_NAME* name = sk_GENERAL_NAME_value(san, 0);
    ASSERT_EQ(name->type, GEN_DNS);
    EXPECT_EQ(std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(name->d.dNSName))),
              "*.t-7f3a.tunnels.example.com");
    GENERAL_NAMES_free(san);
    EXPECT_TRUE(X509_get_extended_key_usage(leaf.get()) & XKU_SSL_SERVER);
    EXPECT_FALSE(X509_check_ca(leaf.get()));
    EXPECT_EQ(digest_hex(X509_get0_authority_key_id(leaf.get())), digest_hex(ca_ski));
    EXPECT_EQ(X509_NAME_cmp(X509_get_issuer_name(leaf.get()), X509_get_subject_name(ca.get())), 0);
    int days = 0;
    int secs = 0;
    ASSERT_EQ(ASN1_TIME_diff(&days, &secs, nullptr, X509_get0_notAfter(leaf.get())), 1);
    EXPECT_GE(days, 89);
    EXPECT_LE(days, 90);

    const auto yaml = read(out / "mcp-proxy.yaml");
    EXPECT_NE(yaml.find("tunnel_domain: \"t-7f3a.tunnels.example.com\""), std::string::npos)
        << yaml;
    EXPECT_NE(yaml.find("listen_addr: "), std::string::npos);
    EXPECT_NE(yaml.find("routes:\n  mcpproxy: \"http://10.0.0.5:8080\"\n"), std::string::npos)
        << yaml;
    EXPECT_NE(
        yaml.find(
            "allowed_ips:\n    - \"10.0.0.5\"\n    - \"10.0.0.0/8\"\n    - \"192.168.1.7\"\n"),
        std::string::npos)
        << yaml;
    EXPECT_NE(yaml.find("cert_file: \"" + (out / "server.crt").string() + "\""), std::string::npos)
        << yaml;
    EXPECT_EQ(yaml.find("anthropic-beta"), std::string::npos);

    // Renewal keeps the CA (it is registered with Anthropic) and issues a new server certificate.
    const auto ca_pem = read(out / "ca.crt");
    const auto leaf_pem = read(out / "server.crt");
    const auto again =
        ws.cli({"tunnel", "anthropic", "init", "--domain", "t-7f3a.tunnels.example.com", "--out",
                out.string(), "--upstream", "http://10.0.0.5:8080"});
    ASSERT_EQ(again.exit_code, 0) << again.err;
    EXPECT_NE(again.out.find("kept the existing CA"), std::string::npos) << again.out;
    EXPECT_EQ(read(out / "ca.crt"), ca_pem);
    EXPECT_NE(read(out / "server.crt"), leaf_pem);
    auto renewed = load(out / "server.crt");
    EXPECT_TRUE(verifies(ca.get(), renewed.get()));
}

// What the renewal timer runs: a new server certificate from the registered CA, nothing else.
TEST(AnthropicInit, RenewIssuesANewServerCertificateAndKeepsTheCaAndTheProxyConfig) {
    Workspace ws;
    const auto out = ws.path() / "tls";
    ASSERT_EQ(ws.cli({"tunnel", "anthropic", "init", "--domain", "t-7f3a.tunnels.example.com",
                      "--out", out.string(), "--upstream", "http://10.0.0.5:8080"})
                  .exit_code,
              0);
    const auto ca_pem = read(out / "ca.crt");
    const auto ca_key_pem = read(out / "ca.key");
    const auto leaf_pem = read(out / "server.crt");
    const auto yaml = read(out / "mcp-proxy.yaml");

    const auto renewed = ws.cli({"tunnel", "anthropic", "init", "--renew", "--out", out.string()});
    ASSERT_EQ(renewed.exit_code, 0) << renewed.err << renewed.out;
    EXPECT_NE(renewed.out.find("renewed, valid until"), std::string::npos) << renewed.out;
    EXPECT_EQ(read(out / "ca.crt"), ca_pem);
    EXPECT_EQ(read(out / "ca.key"), ca_key_pem);
    EXPECT_EQ(read(out / "mcp-proxy.yaml"), yaml);
    EXPECT_NE(read(out / "server.crt"), leaf_pem);
    EXPECT_EQ(mode_of(out / "server.key"), 0600U);
    auto ca = load(out / "ca.crt");
    auto leaf = load(out / "server.crt");
    ASSERT_TRUE(ca && leaf);
    EXPECT_TRUE(verifies(ca.get(), leaf.get()));
    auto* san = static_cast<GENERAL_NAMES*>(
        X509_get_ext_d2i(leaf.get(), NID_subject_alt_name, nullptr, nullptr));
    ASSERT_NE(san, nullptr);
    const GENERAL_NAME* name = sk_GENERAL_NAME_value(san, 0);
    EXPECT_EQ(std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(name->d.dNSName))),
              "*.t-7f3a.tunnels.example.com");
    GENERAL_NAMES_free(san);
}

TEST(AnthropicInit, RenewRefusesToCreateANewCa) {
    Workspace ws;
    const auto out = ws.path() / "empty";
    const auto r = ws.cli({"tunnel", "anthropic", "init", "--renew", "--out", out.string(),
                           "--domain", "t.example.com"});
    EXPECT_NE(r.exit_code, 0);
    EXPECT_NE(r.err.find("has no ca.crt and ca.key"), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(out / "ca.key"));
    EXPECT_FALSE(fs::exists(out / "server.crt"));
}

TEST(AnthropicInit, RefusesARouteWithAPathAndAHostWithoutAllowedIps) {
    Workspace ws;
    const auto with_path =
        ws.cli({"tunnel", "anthropic", "init", "--domain", "t.example.com", "--out",
                (ws.path() / "a").string(), "--upstream", "http://10.0.0.5:8080/mcp"});
    EXPECT_NE(with_path.exit_code, 0);
    EXPECT_NE(with_path.err.find("--upstream takes no path"), std::string::npos) << with_path.err;
    const auto by_name =
        ws.cli({"tunnel", "anthropic", "init", "--domain", "t.example.com", "--out",
                (ws.path() / "b").string(), "--upstream", "http://mcpproxy.internal:8080"});
    EXPECT_NE(by_name.exit_code, 0);
    EXPECT_NE(by_name.err.find("pass --allowed-ips"), std::string::npos) << by_name.err;
    const auto bad_domain = ws.cli({"tunnel", "anthropic", "init", "--domain", "localhost", "--out",
                                    (ws.path() / "c").string()});
    EXPECT_NE(bad_domain.exit_code, 0);
    EXPECT_NE(bad_domain.err.find("--domain must be"), std::string::npos) << bad_domain.err;
}

TEST(AnthropicTunnel, RunsCloudflaredWithTheTokenReportsTheRouteAndWarnsBeforeExpiry) {
    Workspace ws;
    ws.create_token("agent");
    const auto tls = ws.path() / "tls";
    ASSERT_EQ(ws.cli({"tunnel", "anthropic", "init", "--domain", "t-7f3a.tunnels.example.com",
                      "--out", tls.string()})
                  .exit_code,
              0);
    const auto token = well_formed_token();
    const Json config{
        {"domain", "t-7f3a.tunnels.example.com"},
        {"cert_dir", tls.string()},
        {"proxy_url", "http://127.0.0.1:18443"},
        {"renew_before_days", 100},  // the fresh 90-day certificate is "about to expire"
        {"poll_interval_ms", 100}};
    TunnelProxy proxy(ws, tunnel_config("tunnel-anthropic", config), {"TUNNEL_TOKEN=" + token});
    const auto state = wait_state(
        proxy.state_file(), [](const Json& s) { return s.value("ready_connections", 0) == 4; });
    ASSERT_FALSE(state.is_null()) << proxy.log();
    EXPECT_EQ(state["token_source"], "env");
    EXPECT_EQ(state["target"], "http://127.0.0.1:18443");
    const auto cmdline = command_line(state["pid"].get<int>());
    EXPECT_NE(cmdline.find("tunnel --no-autoupdate --metrics 127.0.0.1:"), std::string::npos)
        << cmdline;
    EXPECT_NE(cmdline.find("--url http://127.0.0.1:18443 run"), std::string::npos) << cmdline;
    EXPECT_EQ(cmdline.find(token), std::string::npos);

    const auto status =
        wait_tunnel(ws, [](const Json& t) { return t.value("state", "") == "ready"; });
    ASSERT_FALSE(status.contains("timed_out")) << status.dump() << proxy.log();
    EXPECT_EQ(status["tunnels"][0]["provider"], "anthropic");
    EXPECT_EQ(status["tunnels"][0]["public_url"], "https://mcpproxy.t-7f3a.tunnels.example.com");
    EXPECT_EQ(tunnel::count_lines_with(
                  proxy.log(),
                  "server certificate " + (tls / "server.crt").string() + " expires in 89 day(s)"),
              1U)
        << proxy.log();
    EXPECT_EQ(proxy.log().find(token), std::string::npos);
}

}  // namespace
}  // namespace mcpproxy::test::cloudflared
