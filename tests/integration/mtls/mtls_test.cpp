// mTLS against the real binary with real TLS: the handshake matrix, optional client certificates,
// CRL revocation, hot reload of the server certificate under a request loop (file change and
// SIGHUP), a broken new file kept out, and config errors that name the JSON path.
#include <gtest/gtest.h>
#include <signal.h>

#include <atomic>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <thread>

#include "tests/integration/mtls/pki_fixture.hpp"
#include "tests/integration/mtls/tls_client.hpp"
#include "tests/support/proxy_process.hpp"
#include "tests/support/temp_dir.hpp"

namespace mcpproxy::test::mtls {
namespace {

using Json = nlohmann::json;
namespace http = boost::beast::http;

struct Options {
    bool require_client_cert = true;
    bool crl = true;
    std::string reload_interval = "200ms";
};

class MtlsProxy {
public:
    explicit MtlsProxy(Options options = {}) : pki_(make_pki(dir_ / "pki")) {
        Json tls{{"cert", pki_.file("server.pem")},
                 {"key", pki_.file("server-key.pem")},
                 {"client_ca", pki_.file("ca.pem")},
                 {"require_client_cert", options.require_client_cert},
                 {"reload_interval", options.reload_interval}};
        if (options.crl) tls["crl"] = pki_.file("crl.pem");
        const Json rules = Json::array(
            {{{"name", "agent-a"},
              {"subject_cn", "agent-a"},
              {"servers", "*"},
              {"permissions", "read,write"}},
             {{"name", "revoked-one"}, {"subject_cn", "revoked-one"}, {"servers", "*"}}});
        const Json config{{"listen", "127.0.0.1:0"},
                          {"routing_mode", "direct"},
                          {"log_level", "debug"},
                          {"tls", tls},
                          {"plugins", {{{"name", "auth-mtls"}, {"config", {{"rules", rules}}}}}},
                          {"mcpServers", {{{"name", "alpha"}, {"command", MTLS_TEST_UPSTREAM}}}}};
        dir_.write("config.json", config.dump(2));
        proxy_ = std::make_unique<ProxyProcess>(
            std::vector<std::string>{"--config", (dir_ / "config.json").string()}, dir_.path());
        if (!proxy_->started())
            throw std::runtime_error("mcpproxy did not start:\n" + proxy_->log());
        wait_healthy();
    }

    [[nodiscard]] ClientCredentials client(const std::string& name) const {
        if (name.empty()) return {pki_.file("ca.pem"), "", ""};
        return {pki_.file("ca.pem"), pki_.file(name + ".pem"), pki_.file(name + "-key.pem")};
    }
    [[nodiscard]] unsigned short port() const { return proxy_->port(); }
    [[nodiscard]] const Pki& pki() const { return pki_; }
    [[nodiscard]] ProxyProcess& process() { return *proxy_; }

private:
    void wait_healthy() {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
        std::string last;
        while (std::chrono::steady_clock::now() < deadline) {
            TlsConnection c(port(), client("mapped"));
            const auto r = c.request(http::verb::get, "/healthz");
            if (r && r->result_int() == 200) return;
            last = r ? "HTTP " + std::to_string(r->result_int()) : c.error();
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        throw std::runtime_error("mcpproxy did not become healthy (" + last + "):\n" +
                                 proxy_->log());
    }

    TempDir dir_;
    Pki pki_;
    std::unique_ptr<ProxyProcess> proxy_;
};

bool waits_for(const std::function<bool()>& condition, std::chrono::milliseconds limit) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < deadline) {
        if (condition()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return condition();
}

std::string server_cn_now(const MtlsProxy& proxy) {
    std::string cn;
    std::string error;
    const auto r = post_initialize(proxy.port(), proxy.client("mapped"), &error, &cn);
    return r && r->result_int() == 200 ? cn : "failed: " + error;
}

TEST(MtlsHandshake, MatrixWhenClientCertificatesAreRequired) {
    MtlsProxy proxy;
    // Valid and mapped: served, and a tool call goes through.
    {
        TlsConnection c(proxy.port(), proxy.client("mapped"));
        const Json init{{"jsonrpc", "2.0"},
                        {"id", 1},
                        {"method", "initialize"},
                        {"params",
                         {{"protocolVersion", "2025-06-18"},
                          {"capabilities", Json::object()},
                          {"clientInfo", {{"name", "t"}, {"version", "1"}}}}}};
        const std::map<std::string, std::string> h{
            {"Content-Type", "application/json"},
            {"Accept", "application/json, text/event-stream"}};
        auto r = c.request(http::verb::post, "/mcp", h, init.dump());
        ASSERT_TRUE(r) << c.error();
        ASSERT_EQ(r->result_int(), 200) << r->body();
        auto session = h;
        session["Mcp-Session-Id"] = std::string((*r)["Mcp-Session-Id"]);
        session["MCP-Protocol-Version"] = "2025-06-18";
        c.request(http::verb::post, "/mcp", session,
                  Json{{"jsonrpc", "2.0"}, {"method", "notifications/initialized"}}.dump());
        const Json call{
            {"jsonrpc", "2.0"},
            {"id", 2},
            {"method", "tools/call"},
            {"params", {{"name", "alpha__echo"}, {"arguments", {{"text", "over mtls"}}}}}};
        r = c.request(http::verb::post, "/mcp", session, call.dump());
        ASSERT_TRUE(r) << c.error();
        EXPECT_EQ(r->result_int(), 200);
        EXPECT_NE(r->body().find("over mtls"), std::string::npos) << r->body();
    }
    // Valid but no rule maps it: 403 with only an error code and the request id.
    {
        std::string error;
        const auto r = post_initialize(proxy.port(), proxy.client("unmapped"), &error);
        ASSERT_TRUE(r) << error;
        EXPECT_EQ(r->result_int(), 403);
        const auto body = Json::parse(r->body());
        EXPECT_EQ(body["error"], "forbidden");
        EXPECT_EQ(body.size(), 2U) << r->body();
        EXPECT_EQ(body["request_id"], std::string((*r)["X-Request-Id"]));
    }
    // No certificate, another CA, expired, revoked by the CRL: no HTTP answer at all.
    for (const std::string name : {"", "wrong-ca", "expired", "revoked"}) {
        std::string error;
        const auto r = post_initialize(proxy.port(), proxy.client(name), &error);
        EXPECT_FALSE(r) << (name.empty() ? "no certificate" : name) << " got HTTP "
                        << r->result_int();
        EXPECT_FALSE(error.empty());
    }
    // The activity log names the mapped and the unmapped certificate.
    const auto log = proxy.process().log();
    EXPECT_EQ(log.find("PRIVATE KEY"), std::string::npos);
}

TEST(MtlsHandshake, OptionalClientCertificatesGive401WithoutOne) {
    MtlsProxy proxy(Options{.require_client_cert = false});
    std::string error;
    auto r = post_initialize(proxy.port(), proxy.client(""), &error);
    ASSERT_TRUE(r) << error;
    EXPECT_EQ(r->result_int(), 401);
    EXPECT_FALSE(std::string((*r)["WWW-Authenticate"]).empty());
    EXPECT_EQ(Json::parse(r->body())["error"], "unauthorized");

    r = post_initialize(proxy.port(), proxy.client("mapped"), &error);
    ASSERT_TRUE(r) << error;
    EXPECT_EQ(r->result_int(), 200);
    r = post_initialize(proxy.port(), proxy.client("unmapped"), &error);
    ASSERT_TRUE(r) << error;
    EXPECT_EQ(r->result_int(), 403);
    // An unverifiable certificate is no credential: 401 here, never the mapped identity.
    for (const std::string name : {"wrong-ca", "expired", "revoked"}) {
        r = post_initialize(proxy.port(), proxy.client(name), &error);
        ASSERT_TRUE(r) << name << ": " << error;
        EXPECT_EQ(r->result_int(), 401) << name;
    }
}

TEST(MtlsReload, ServerCertificateChangesUnderLoadWithoutAFailedRequest) {
    MtlsProxy proxy;
    ASSERT_EQ(server_cn_now(proxy), "server-1");
    // A keep-alive connection opened before the reload keeps working after it.
    TlsConnection before(proxy.port(), proxy.client("mapped"));
    ASSERT_TRUE(before.handshake_done()) << before.error();
    ASSERT_EQ(before.server_cn(), "server-1");

    std::atomic<bool> stop{false};
    std::atomic<int> ok{0};
    std::atomic<int> failed{0};
    std::atomic<int> on_new_cert{0};
    std::string first_failure;
    std::thread loop([&] {
        while (!stop) {
            std::string cn;
            std::string error;
            const auto r = post_initialize(proxy.port(), proxy.client("mapped"), &error, &cn);
            if (r && r->result_int() == 200) {
                ++ok;
                if (cn == "server-2") ++on_new_cert;
            } else {
                if (failed++ == 0)
                    first_failure = r ? "HTTP " + std::to_string(r->result_int()) : error;
            }
        }
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    rotate_server_certificate(proxy.pki(), "server-2");
    const bool switched =
        waits_for([&] { return on_new_cert.load() >= 5; }, std::chrono::seconds(10));
    stop = true;
    loop.join();
    EXPECT_TRUE(switched) << proxy.process().log();
    EXPECT_EQ(failed.load(), 0) << first_failure;
    EXPECT_GT(ok.load(), 10);
    const auto r = before.request(http::verb::get, "/healthz");
    ASSERT_TRUE(r) << before.error();
    EXPECT_EQ(r->result_int(), 200);
    EXPECT_NE(proxy.process().log().find("TLS reloaded"), std::string::npos);
}

TEST(MtlsReload, SighupReloadsAtOnce) {
    MtlsProxy proxy(Options{.reload_interval = "1h"});
    rotate_server_certificate(proxy.pki(), "server-2");
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    EXPECT_EQ(server_cn_now(proxy), "server-1");  // no polling within the hour
    ASSERT_EQ(::kill(proxy.process().pid(), SIGHUP), 0);
    EXPECT_TRUE(
        waits_for([&] { return server_cn_now(proxy) == "server-2"; }, std::chrono::seconds(5)))
        << proxy.process().log();
}

TEST(MtlsReload, BrokenNewFileIsRejectedAndTheOldCertificateStays) {
    MtlsProxy proxy;
    {
        std::ofstream out(proxy.pki().file("server.pem"), std::ios::trunc);
        out << "-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n";
    }
    EXPECT_TRUE(
        waits_for([&] { return proxy.process().log().find("TLS reload") != std::string::npos; },
                  std::chrono::seconds(5)));
    const auto log = proxy.process().log();
    EXPECT_NE(log.find("failed, the current certificate stays in use"), std::string::npos) << log;
    for (int i = 0; i < 5; ++i) EXPECT_EQ(server_cn_now(proxy), "server-1");
    // Fixed again: picked up.
    rotate_server_certificate(proxy.pki(), "server-3");
    EXPECT_TRUE(
        waits_for([&] { return server_cn_now(proxy) == "server-3"; }, std::chrono::seconds(5)));
}

TEST(MtlsConfig, ErrorsNameTheFileAndJsonPath) {
    TempDir dir;
    const Json config{
        {"listen", "127.0.0.1:0"},
        {"tls", {{"cert", (dir / "missing.pem").string()}, {"key", (dir / "k.pem").string()}}}};
    dir.write("config.json", config.dump());
    const auto r = run_mcpproxy({"serve", "--config", (dir / "config.json").string(), "--data-dir",
                                 (dir / "data").string()},
                                std::chrono::seconds(20));
    EXPECT_NE(r.exit_code, 0);
    const auto text = r.out + r.err;
    EXPECT_NE(text.find("$.tls.cert"), std::string::npos) << text;
    EXPECT_NE(text.find("config.json"), std::string::npos) << text;
    EXPECT_NE(text.find("no such file"), std::string::npos) << text;
}

}  // namespace
}  // namespace mcpproxy::test::mtls
