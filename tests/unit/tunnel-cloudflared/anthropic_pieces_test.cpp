#include <gtest/gtest.h>

#include <filesystem>

#include "anthropic_adapter.hpp"
#include "cert_authority.hpp"
#include "private_file.hpp"
#include "proxy_config.hpp"

namespace mcpproxy::tunnel_anthropic {
namespace {
using namespace std::chrono_literals;

TEST(AnthropicCertificate, WarnsWithinTheWindowAndRefusesWhenExpired) {
    const auto dir =
        std::filesystem::temp_directory_path() / ("t1-anthropic-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const auto ca = make_ca("test CA", 24h * 365);
    const auto server = make_server_certificate(ca, "t.example.com", 24h * 90);
    write_file_atomically(dir / "server.crt", pem_of_certificate(server.cert.get()), 0644);
    const auto now = std::chrono::system_clock::now();
    EXPECT_EQ(check_server_certificate(dir / "server.crt", now, 24h * 14, "t.example.com"), "");
    const auto soon =
        check_server_certificate(dir / "server.crt", now + 24h * 80, 24h * 14, "t.example.com");
    EXPECT_NE(soon.find("expires in 9 day(s)"), std::string::npos) << soon;
    EXPECT_NE(soon.find("mcpproxy tunnel anthropic init --domain t.example.com"), std::string::npos)
        << soon;
    EXPECT_THROW(
        check_server_certificate(dir / "server.crt", now + 24h * 91, 24h * 14, "t.example.com"),
        std::runtime_error);
    EXPECT_THROW(check_server_certificate(dir / "missing.crt", now, 24h * 14, ""),
                 std::runtime_error);
    std::filesystem::remove_all(dir);
}

TEST(AnthropicProxyConfig, UpstreamAndIpChecks) {
    EXPECT_EQ(normalise_upstream("http://10.0.0.5:8080/"), "http://10.0.0.5:8080");
    EXPECT_THROW(normalise_upstream("http://10.0.0.5:8080/mcp"), std::runtime_error);
    EXPECT_THROW(normalise_upstream("http://10.0.0.5"), std::runtime_error);
    EXPECT_NO_THROW(check_ipv4_or_cidr("10.0.0.0/8"));
    EXPECT_THROW(check_ipv4_or_cidr("10.0.0.0/33"), std::runtime_error);
    EXPECT_THROW(check_ipv4_or_cidr("::1"), std::runtime_error);
    EXPECT_THROW(check_domain("localhost"), std::runtime_error);
    EXPECT_NO_THROW(check_domain("t-1.tunnels.example.com"));
}

TEST(AnthropicConfig, Defaults) {
    ::unsetenv("TUNNEL_TOKEN");
    const auto c = parse_anthropic_config(R"({"domain":"t.example.com"})");
    EXPECT_EQ(c.subdomain, "mcpproxy");
    EXPECT_EQ(c.proxy_url, "http://localhost:8443");
    EXPECT_EQ(c.renew_before, std::chrono::hours(24 * 14));
    EXPECT_THROW(parse_anthropic_config(R"({"domian":"x"})"), std::runtime_error);
}

}  // namespace
}  // namespace mcpproxy::tunnel_anthropic
