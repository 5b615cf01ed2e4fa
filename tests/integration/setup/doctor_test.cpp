// `mcpproxy doctor` against the real binary: one test per problem it reports, and a clean setup.
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <sys/stat.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <cstdio>

#include "tests/integration/mcp/mcp_http.hpp"
#include "tests/integration/mcp/mcp_proxy.hpp"
#include "tests/support/proxy_process.hpp"
#include "tests/support/temp_dir.hpp"

namespace mcpproxy::test {
namespace {

// A self-signed certificate valid from `from_days` to `to_days` from now, and its key, as PEM
// files.
void write_certificate(const std::filesystem::path& cert, const std::filesystem::path& key,
                       long from_days, long to_days) {
    EVP_PKEY* pkey = EVP_EC_gen("P-256");
    X509* x = X509_new();
    ASN1_INTEGER_set(X509_get_serialNumber(x), 1);
    X509_gmtime_adj(X509_getm_notBefore(x), from_days * 86400);
    X509_gmtime_adj(X509_getm_notAfter(x), to_days * 86400);
    X509_set_pubkey(x, pkey);
    X509_NAME_add_entry_by_txt(X509_get_subject_name(x), "CN", MBSTRING_ASC,
                               reinterpret_cast<const unsigned char*>("localhost"), -1, -1, 0);
    X509_set_issuer_name(x, X509_get_subject_name(x));
    X509_sign(x, pkey, EVP_sha256());
    FILE* f = std::fopen(cert.c_str(), "w");
    PEM_write_X509(f, x);
    std::fclose(f);
    f = std::fopen(key.c_str(), "w");
    PEM_write_PrivateKey(f, pkey, nullptr, nullptr, 0, nullptr, nullptr);
    std::fclose(f);
    X509_free(x);
    EVP_PKEY_free(pkey);
}

class DoctorTest : public ::testing::Test {
protected:
    TempDir dir;
    std::filesystem::path data = dir / "data";
    Json config{{"listen", "127.0.0.1:0"}, {"mcpServers", Json::array()}};

    void SetUp() override {
        std::filesystem::create_directories(data);
        ::chmod(data.c_str(), 0700);
    }

    void add_upstream(const std::string& name, const std::string& command) {
        config["mcpServers"].push_back({{"name", name}, {"command", command}, {"args", {name}}});
    }

    // Runs doctor -o json; returns the parsed report and the exit code.
    std::pair<Json, int> doctor(std::vector<std::string> extra = {}) {
        dir.write("c.json", config.dump());
        std::vector<std::string> args{
            "doctor",     "-o",         "json", "--config", (dir / "c.json").string(),
            "--data-dir", data.string()};
        args.insert(args.end(), extra.begin(), extra.end());
        const auto r = run_mcpproxy(args, std::chrono::seconds(60));
        Json report;
        try {
            report = Json::parse(r.out);
        } catch (const std::exception&) {
            ADD_FAILURE() << "not JSON: " << r.out << r.err;
        }
        return {report, r.exit_code};
    }

    static Json find(const Json& report, const std::string& check) {
        for (const auto& c : report["checks"]) {
            if (c["check"] == check) return c;
        }
        return Json();
    }
};

TEST_F(DoctorTest, CleanSetupPassesWithUpstreamTimings) {
    add_upstream("alpha", stdio_upstream_binary());
    const auto [report, code] = doctor();
    EXPECT_EQ(code, 0) << report.dump(2);
    EXPECT_EQ(report["ok"], true);
    const auto up = find(report, "upstream:alpha");
    EXPECT_EQ(up["status"], "ok") << report.dump(2);
    EXPECT_TRUE(up.contains("elapsed_ms"));
    EXPECT_EQ(find(report, "data_dir")["status"], "ok");
}

TEST_F(DoctorTest, InvalidConfigFailsNamingTheKey) {
    config["mcpServers"].push_back({{"name", "x"}, {"comand", "y"}});
    const auto [report, code] = doctor();
    EXPECT_EQ(code, 1);
    const auto c = find(report, "config");
    EXPECT_EQ(c["status"], "fail");
    EXPECT_NE(c["detail"].get<std::string>().find("comand"), std::string::npos) << c.dump();
}

TEST_F(DoctorTest, DataDirOpenToOthersFails) {
    ::chmod(data.c_str(), 0755);
    const auto [report, code] = doctor();
    EXPECT_EQ(code, 1);
    const auto c = find(report, "data_dir");
    EXPECT_EQ(c["status"], "fail");
    EXPECT_NE(c["fix"].get<std::string>().find("chmod 700"), std::string::npos);
}

TEST_F(DoctorTest, SecretFileReadableByOthersFails) {
    dir.write("data/admin.key", "x");
    ::chmod((data / "admin.key").c_str(), 0644);
    const auto [report, code] = doctor();
    EXPECT_EQ(code, 1);
    EXPECT_NE(find(report, "data_dir")["fix"].get<std::string>().find("chmod 600"),
              std::string::npos);
}

TEST_F(DoctorTest, PluginBuiltForAnotherAbiFails) {
    const auto [report, code] = doctor({"--plugins-dir", (build_dir() / "test-plugins").string()});
    EXPECT_EQ(code, 1);
    const auto c = find(report, "plugin:test-abi-mismatch");
    EXPECT_EQ(c["status"], "fail") << report.dump(2);
    EXPECT_NE(c["fix"].get<std::string>().find("rebuild"), std::string::npos);
}

TEST_F(DoctorTest, ConfiguredPluginNotFoundFails) {
    config["plugins"] = Json::array({"no-such-plugin"});
    const auto [report, code] = doctor();
    EXPECT_EQ(code, 1);
    EXPECT_EQ(find(report, "plugin:no-such-plugin")["status"], "fail");
}

TEST_F(DoctorTest, UpstreamThatDoesNotStartFails) {
    add_upstream("broken", "/nonexistent/mcp-server");
    const auto [report, code] = doctor();
    EXPECT_EQ(code, 1);
    const auto c = find(report, "upstream:broken");
    EXPECT_EQ(c["status"], "fail");
    EXPECT_NE(c["detail"].get<std::string>().find("/nonexistent/mcp-server"), std::string::npos);
}

TEST_F(DoctorTest, UpstreamsAreCheckedSideBySide) {
    // Six servers that take 1.5 s each to start: 9 s one after the other.
    for (int i = 0; i < 6; ++i) {
        const auto name = "slow" + std::to_string(i);
        config["mcpServers"].push_back(
            {{"name", name},
             {"command", "/bin/sh"},
             {"args", {"-c", "sleep 1.5; exec " + stdio_upstream_binary() + " " + name}}});
    }
    const auto started = std::chrono::steady_clock::now();
    const auto [report, code] = doctor();
    const auto took = std::chrono::steady_clock::now() - started;
    EXPECT_EQ(code, 0) << report.dump(2);
    EXPECT_LT(took, std::chrono::seconds(6)) << report.dump(2);
    for (int i = 0; i < 6; ++i) {
        const auto c = find(report, "upstream:slow" + std::to_string(i));
        EXPECT_EQ(c["status"], "ok") << report.dump(2);
        EXPECT_GE(c["elapsed_ms"].get<long long>(), 1400) << c.dump();
    }
    // The report keeps the config's order.
    std::vector<std::string> order;
    for (const auto& c : report["checks"]) {
        const auto name = c["check"].get<std::string>();
        if (name.starts_with("upstream:")) order.push_back(name);
    }
    EXPECT_EQ(order,
              (std::vector<std::string>{"upstream:slow0", "upstream:slow1", "upstream:slow2",
                                        "upstream:slow3", "upstream:slow4", "upstream:slow5"}));
}

TEST_F(DoctorTest, PortInUseFails) {
    boost::asio::io_context io;
    boost::asio::ip::tcp::acceptor taken(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
    const auto port = taken.local_endpoint().port();
    config["listen"] = "127.0.0.1:" + std::to_string(port);
    const auto [report, code] = doctor();
    EXPECT_EQ(code, 1);
    const auto c = find(report, "port:main");
    EXPECT_EQ(c["status"], "fail") << report.dump(2);
    EXPECT_NE(c["fix"].get<std::string>().find(std::to_string(port)), std::string::npos);
}

TEST_F(DoctorTest, TunnelModeWithoutCredentialsFails) {
    config["tunnel"] = {{"enabled", true}};
    config["plugins"] = Json::array({"auth-agent-token"});
    const auto [report, code] = doctor();
    EXPECT_EQ(code, 1);
    EXPECT_EQ(find(report, "tunnel")["status"], "fail") << report.dump(2);
}

TEST_F(DoctorTest, ExpiredCertificateFailsAndOneAboutToExpireWarns) {
    write_certificate(dir / "old.pem", dir / "old.key", -30, -1);
    config["tls"] = {{"cert", (dir / "old.pem").string()}, {"key", (dir / "old.key").string()}};
    auto [report, code] = doctor();
    EXPECT_EQ(code, 1);
    EXPECT_EQ(find(report, "tls")["status"], "fail") << report.dump(2);
    write_certificate(dir / "soon.pem", dir / "soon.key", -30, 3);
    config["tls"] = {{"cert", (dir / "soon.pem").string()}, {"key", (dir / "soon.key").string()}};
    std::tie(report, code) = doctor();
    EXPECT_EQ(code, 0) << report.dump(2);
    EXPECT_EQ(find(report, "tls")["status"], "warn");
}

TEST_F(DoctorTest, TableOutputSaysHowToFix) {
    add_upstream("broken", "/nonexistent/mcp-server");
    dir.write("c.json", config.dump());
    const auto r = run_mcpproxy(
        {"doctor", "--config", (dir / "c.json").string(), "--data-dir", data.string()});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.out.find("FAIL  upstream:broken"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("fix: "), std::string::npos);
    EXPECT_EQ(r.err.find("checking"), std::string::npos) << "no progress lines off a terminal";
}

}  // namespace
}  // namespace mcpproxy::test
