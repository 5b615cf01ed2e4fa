// run_login end to end against scripted HTTP answers, with the test playing the browser on the
// loopback callback: pre-registered client, scope from the challenge, resource switched off,
// PKCE verifier matching the challenge sent, state checked.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <sstream>
#include <thread>

#include "mcpproxy/sdk/testing/scripted_http_client.hpp"
#include "upstream/login_flow.hpp"
#include "upstream/oauth_http.hpp"
#include "upstream/oauth_urls.hpp"
#include "upstream/pkce.hpp"

namespace mcpproxy::oauth {
namespace {

namespace fs = std::filesystem;
using sdk::testing::ScriptedHttpClient;

unsigned short free_port() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof(a));
    socklen_t len = sizeof(a);
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
    ::close(fd);
    return ntohs(a.sin_port);
}

// A GET on 127.0.0.1:port; returns the status line.
std::string get(unsigned short port, const std::string& target) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof(a)) != 0) {
        ::close(fd);
        return "no connection";
    }
    const std::string req = "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    (void)::send(fd, req.data(), req.size(), 0);
    std::string res;
    char buf[1024];
    ssize_t n = 0;
    while ((n = ::recv(fd, buf, sizeof(buf), 0)) > 0) res.append(buf, static_cast<std::size_t>(n));
    ::close(fd);
    return res.substr(0, res.find("\r\n"));
}

struct LoginFixture : ::testing::Test {
    fs::path dir = fs::temp_directory_path() / ("oauth-login-" + random_urlsafe(6));
    ScriptedHttpClient http;
    std::string server_url = "https://mcp.example/mcp";
    std::string authorize_url;
    std::thread browser;

    LoginFixture() {
        sdk::HttpClientResponse challenge;
        challenge.status = 401;
        challenge.headers["www-authenticate"] =
            R"(Bearer resource_metadata="https://mcp.example/prm", scope="files:read files:write")";
        http.answer("POST", server_url, challenge);
        http.answer_json("https://mcp.example/prm", 200,
                         nlohmann::json{{"resource", server_url},
                                        {"authorization_servers", {"https://auth.example"}},
                                        {"scopes_supported", {"other"}}}
                             .dump());
        http.answer_json(
            "https://auth.example/.well-known/oauth-authorization-server", 200,
            nlohmann::json{{"issuer", "https://auth.example"},
                           {"authorization_endpoint", "https://auth.example/authorize"},
                           {"token_endpoint", "https://auth.example/token"},
                           {"code_challenge_methods_supported", {"S256"}}}
                .dump());
        http.answer(
            "POST", "https://auth.example/token",
            {200, {}, R"({"access_token":"at","refresh_token":"rt","expires_in":600})", {}});
    }
    ~LoginFixture() override {
        if (browser.joinable()) browser.join();
        fs::remove_all(dir);
    }

    LoginRequest request(unsigned short port) {
        LoginRequest r;
        r.server = "files";
        r.server_url = server_url;
        r.client.client_id = "pre-registered";
        r.client.client_secret = "pre-secret";
        r.client.send_resource = false;
        r.callback_port = port;
        r.timeout = std::chrono::seconds(10);
        return r;
    }
};

TEST_F(LoginFixture, PreRegisteredClientWithoutResourceAndTheChallengesScope) {
    const auto port = free_port();
    auto req = request(port);
    std::string forged_status;
    req.open_browser = [&](const std::string& url) {
        authorize_url = url;
        const auto q = parse_query(url.substr(url.find('?') + 1));
        browser = std::thread([&, port, state = q.at("state")] {
            forged_status = get(port, "/callback?code=evil&state=not-" + state);
            (void)get(port, "/callback?" + form_encode({{"code", "the-code"}, {"state", state}}));
        });
    };
    TokenStore store(dir);
    std::ostringstream out;
    const auto record = run_login(http, store, req, out, 1'000);
    browser.join();

    EXPECT_EQ(forged_status, "HTTP/1.1 400 Bad Request");
    const auto q = parse_query(authorize_url.substr(authorize_url.find('?') + 1));
    EXPECT_TRUE(authorize_url.starts_with("https://auth.example/authorize?"));
    EXPECT_EQ(q.at("client_id"), "pre-registered");
    EXPECT_EQ(q.at("scope"), "files:read files:write");  // the challenge's scope wins
    EXPECT_EQ(q.at("code_challenge_method"), "S256");
    EXPECT_EQ(q.at("redirect_uri"), "http://127.0.0.1:" + std::to_string(port) + "/callback");
    EXPECT_EQ(q.count("resource"), 0U);
    EXPECT_NE(out.str().find(authorize_url), std::string::npos);  // printed as well

    const auto requests = http.requests();
    const auto& token_request = requests.back();
    EXPECT_EQ(token_request.url, "https://auth.example/token");
    const auto form = parse_query(token_request.body);
    EXPECT_EQ(form.at("grant_type"), "authorization_code");
    EXPECT_EQ(form.at("code"), "the-code");
    EXPECT_EQ(s256_challenge(form.at("code_verifier")), q.at("code_challenge"));
    EXPECT_EQ(form.count("resource"), 0U);
    EXPECT_EQ(token_request.headers.at("Authorization"),
              "Basic " + base64_encode("pre-registered:pre-secret"));
    for (const auto& r : requests) EXPECT_NE(r.url, "https://auth.example/register");

    EXPECT_EQ(record.access_token, "at");
    EXPECT_EQ(record.expires_at, 1'600);
    const auto stored = store.token("files");
    ASSERT_TRUE(stored);
    EXPECT_FALSE(stored->send_resource);
    EXPECT_EQ(stored->client_secret, "pre-secret");
    EXPECT_EQ(out.str().find("pre-secret"), std::string::npos);
}

TEST_F(LoginFixture, ARefusedAuthorizationIsAClearErrorAndStoresNothing) {
    const auto port = free_port();
    auto req = request(port);
    req.open_browser = [&](const std::string& url) {
        const auto q = parse_query(url.substr(url.find('?') + 1));
        browser = std::thread([port, state = q.at("state")] {
            (void)get(port,
                      "/callback?" + form_encode({{"error", "access_denied"}, {"state", state}}));
        });
    };
    TokenStore store(dir);
    std::ostringstream out;
    try {
        (void)run_login(http, store, req, out, 1'000);
        FAIL() << "login succeeded";
    } catch (const OAuthFlowError& e) {
        EXPECT_NE(std::string(e.what()).find("access_denied"), std::string::npos) << e.what();
    }
    EXPECT_FALSE(store.token("files"));
}

TEST_F(LoginFixture, APortInUseIsNamed) {
    const auto port = free_port();
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof(a)), 0);
    ASSERT_EQ(::listen(fd, 1), 0);
    TokenStore store(dir);
    std::ostringstream out;
    try {
        (void)run_login(http, store, request(port), out, 1'000);
        FAIL() << "login succeeded";
    } catch (const OAuthFlowError& e) {
        EXPECT_NE(std::string(e.what()).find("127.0.0.1:" + std::to_string(port)),
                  std::string::npos)
            << e.what();
        EXPECT_NE(std::string(e.what()).find("callback_port"), std::string::npos);
    }
    ::close(fd);
}

}  // namespace
}  // namespace mcpproxy::oauth
