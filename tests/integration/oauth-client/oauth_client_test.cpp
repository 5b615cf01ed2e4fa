// The upstream OAuth client against the real binary (issue 7, auth-oauth part 1): `mcpproxy auth
// login --no-browser` with the test playing the browser, `auth status`, the store's file mode, a
// running proxy that refreshes short-lived tokens and picks up a login made by another process,
// a revoked refresh token giving one "login needed", and `auth logout` with revocation.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio.hpp>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "tests/integration/oauth-client/fake_authorization_server.hpp"
#include "tests/support/proxy_process.hpp"
#include "tests/support/raw_http.hpp"
#include "tests/support/temp_dir.hpp"

extern char** environ;

namespace mcpproxy::test::oauth_client {
namespace {

namespace fs = std::filesystem;
namespace http = boost::beast::http;
using Json = nlohmann::json;
using namespace std::chrono_literals;

unsigned short free_port() {
    boost::asio::io_context io;
    boost::asio::ip::tcp::acceptor a(
        io, boost::asio::ip::tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), 0));
    return a.local_endpoint().port();
}

std::string read_file(const fs::path& p) {
    std::ifstream in(p);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

template <typename Pred>
bool eventually(Pred pred, std::chrono::milliseconds limit) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < deadline) {
        if (pred()) return true;
        std::this_thread::sleep_for(50ms);
    }
    return pred();
}

// `mcpproxy auth login` running in the background with its output in files, so the test can read
// the printed URL while the command waits for the browser.
class LoginProcess {
public:
    explicit LoginProcess(std::vector<std::string> args, const fs::path& dir)
        : out_(dir / "login.out"), err_(dir / "login.err") {
        std::vector<std::string> argv{mcpproxy_binary(), "auth", "login"};
        argv.insert(argv.end(), args.begin(), args.end());
        std::vector<char*> cargv;
        for (auto& a : argv) cargv.push_back(a.data());
        cargv.push_back(nullptr);
        posix_spawn_file_actions_t fa;
        posix_spawn_file_actions_init(&fa);
        posix_spawn_file_actions_addopen(&fa, 1, out_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        posix_spawn_file_actions_addopen(&fa, 2, err_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (posix_spawn(&pid_, cargv[0], &fa, nullptr, cargv.data(), environ) != 0) pid_ = -1;
        posix_spawn_file_actions_destroy(&fa);
    }
    ~LoginProcess() {
        if (pid_ > 0) {
            ::kill(pid_, SIGKILL);
            ::waitpid(pid_, nullptr, 0);
        }
    }
    // The authorization URL it printed, once it did.
    std::string wait_for_url(const std::string& prefix) {
        std::string url;
        eventually(
            [&] {
                const auto text = read_file(out_);
                const auto at = text.find(prefix);
                if (at == std::string::npos) return false;
                const auto end = text.find_first_of(" \n", at);
                if (end == std::string::npos) return false;
                url = text.substr(at, end - at);
                return true;
            },
            15s);
        return url;
    }
    int wait_exit(std::chrono::seconds limit = 20s) {
        int status = 0;
        const bool done = eventually([&] { return ::waitpid(pid_, &status, WNOHANG) == pid_; },
                                     std::chrono::duration_cast<std::chrono::milliseconds>(limit));
        if (!done) return -1;
        pid_ = -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }
    [[nodiscard]] std::string out() const { return read_file(out_); }
    [[nodiscard]] std::string err() const { return read_file(err_); }

private:
    fs::path out_;
    fs::path err_;
    pid_t pid_ = -1;
};

std::string target_of(const std::string& url) {
    const auto path = url.find('/', url.find("://") + 3);
    return url.substr(path);
}

class UpstreamOAuthClientTest : public ::testing::Test {
protected:
    void SetUp() override {
        as_.set_token_lifetime(4);
        callback_port_ = free_port();
        const Json config{{"listen", "127.0.0.1:0"},
                          {"routing_mode", "direct"},
                          {"log_level", "debug"},
                          {"plugins",
                           {{{"name", "auth-oauth"},
                             {"config",
                              {{"upstreams", {{"files", {{"scopes", {"mcp"}}}}}},
                               {"callback_port", callback_port_},
                               {"login_timeout", "20s"}}}}}},
                          {"mcpServers", {{{"name", "files"}, {"url", as_.base() + "/mcp"}}}}};
        dir_.write("config.json", config.dump(2));
        fs::create_directories(data_dir());
    }

    [[nodiscard]] fs::path data_dir() const { return dir_.path() / "data"; }
    [[nodiscard]] std::vector<std::string> common() const {
        return {"--config", (dir_.path() / "config.json").string(), "--data-dir",
                data_dir().string()};
    }
    RunResult cli(std::vector<std::string> args) const {
        for (const auto& a : common()) args.push_back(a);
        return run_mcpproxy(args);
    }
    Json status() const {
        const auto r = cli({"auth", "status", "-o", "json"});
        EXPECT_EQ(r.exit_code, 0) << r.err;
        const auto j = Json::parse(r.out, nullptr, false);
        if (!j.is_array() || j.size() != 1) {
            ADD_FAILURE() << "unexpected status output: " << r.out << r.err;
            return Json::object();
        }
        return j[0];
    }

    // Runs `auth login` and plays the browser: follows the authorization URL to the AS, which
    // redirects to the loopback callback, and delivers that redirect.
    std::string login() {
        auto args = common();
        args.insert(args.begin(), {"--server", "files", "--no-browser"});
        LoginProcess p(args, dir_.path());
        const auto url = p.wait_for_url(as_.base() + "/authorize?");
        EXPECT_FALSE(url.empty()) << p.out() << p.err();
        if (url.empty()) return {};
        const auto redirect = http_request(as_.port(), http::verb::get, target_of(url));
        EXPECT_EQ(redirect.result_int(), 302) << redirect.body();
        const std::string location(redirect[http::field::location]);
        const std::string callback =
            "http://127.0.0.1:" + std::to_string(callback_port_) + "/callback?";
        EXPECT_TRUE(location.starts_with(callback)) << location;
        // A forged answer with another state is refused and the login keeps waiting.
        const auto forged =
            http_request(callback_port_, http::verb::get, "/callback?code=forged&state=forged");
        EXPECT_EQ(forged.result_int(), 400);
        const auto answer = http_request(callback_port_, http::verb::get, target_of(location));
        EXPECT_EQ(answer.result_int(), 200);
        EXPECT_EQ(p.wait_exit(), 0) << p.out() << p.err();
        return p.out() + p.err();
    }

    void expect_no_secret_in(const std::string& text, const char* where) const {
        for (const auto& secret : as_.issued_secrets()) {
            EXPECT_EQ(text.find(secret), std::string::npos) << "a token leaked into " << where;
        }
    }

    FakeAuthorizationServer as_;
    TempDir dir_;
    unsigned short callback_port_ = 0;
};

TEST_F(UpstreamOAuthClientTest, LoginRefreshRevocationAndLogout) {
    EXPECT_EQ(status()["state"], "not logged in");

    const auto output = login();
    EXPECT_NE(output.find("Logged in to \"files\""), std::string::npos) << output;
    expect_no_secret_in(output, "the login output");
    auto c = as_.counters();
    EXPECT_EQ(c.registrations, 1);
    EXPECT_EQ(c.code_grants, 1);
    EXPECT_TRUE(c.every_grant_had_resource);

    // The store: 0600, like its WAL files.
    int stores = 0;
    for (const auto& e : fs::recursive_directory_iterator(data_dir())) {
        if (e.path().filename().string().starts_with("upstream-oauth.db")) {
            ++stores;
            struct stat st {};
            ::stat(e.path().c_str(), &st);
            EXPECT_EQ(st.st_mode & 0777U, 0600U) << e.path();
        }
    }
    EXPECT_GE(stores, 1);

    auto s = status();
    EXPECT_EQ(s["state"], "valid");
    EXPECT_TRUE(s["refreshable"].get<bool>());
    EXPECT_LE(s["expires_in"].get<int>(), 4);

    // A running proxy refreshes at 75 % of the 4 s lifetime, again and again.
    ProxyProcess proxy(common(), dir_.path());
    ASSERT_TRUE(proxy.started()) << proxy.log();
    ASSERT_TRUE(eventually([&] { return as_.counters().refresh_grants >= 2; }, 15s)) << proxy.log();
    EXPECT_TRUE(as_.counters().every_grant_had_resource);
    EXPECT_EQ(status()["state"], "valid");

    // The authorization server revokes the refresh token: one rejection, "login needed", no loop.
    as_.revoke_all_refresh_tokens();
    ASSERT_TRUE(eventually([&] { return status()["state"] == "login needed"; }, 10s))
        << proxy.log();
    std::this_thread::sleep_for(3s);
    EXPECT_EQ(as_.counters().refresh_rejections, 1);
    EXPECT_NE(status()["detail"].get<std::string>().find("auth login --server files"),
              std::string::npos);
    const auto log = proxy.log();
    std::size_t mentions = 0;
    for (auto at = log.find("rejected the refresh token"); at != std::string::npos;
         at = log.find("rejected the refresh token", at + 1)) {
        ++mentions;
    }
    EXPECT_EQ(mentions, 1U) << log;

    // A new login from another process reaches the running proxy without a restart: it reuses
    // the registered client and the proxy refreshes the new token.
    const auto grants_before = as_.counters().refresh_grants;
    login();
    EXPECT_EQ(as_.counters().registrations, 1);
    EXPECT_EQ(status()["state"], "valid");
    EXPECT_TRUE(eventually([&] { return as_.counters().refresh_grants > grants_before; }, 10s))
        << proxy.log();

    const auto out = cli({"auth", "logout", "--server", "files"});
    EXPECT_EQ(out.exit_code, 0) << out.err;
    EXPECT_NE(out.out.find("revoked"), std::string::npos);
    EXPECT_GE(as_.counters().revocations, 1);
    EXPECT_EQ(status()["state"], "not logged in");

    EXPECT_EQ(proxy.stop(), 0);
    expect_no_secret_in(proxy.log(), "the proxy log");
}

// A client of mcpproxy calls the protected server's tool through the proxy. Returns the body.
class ProxyClient {
public:
    explicit ProxyClient(unsigned short port) : port_(port) {}
    bool initialize() {
        const auto r =
            post(Json{{"jsonrpc", "2.0"},
                      {"id", 1},
                      {"method", "initialize"},
                      {"params",
                       {{"protocolVersion", "2025-06-18"},
                        {"capabilities", Json::object()},
                        {"clientInfo", {{"name", "oauth-client-test"}, {"version", "1"}}}}}});
        if (r.result_int() != 200) return false;
        session_ = std::string(r["Mcp-Session-Id"]);
        (void)post(Json{{"jsonrpc", "2.0"}, {"method", "notifications/initialized"}});
        return true;
    }
    std::string call_whoami() {
        const auto r =
            post(Json{{"jsonrpc", "2.0"},
                      {"id", ++id_},
                      {"method", "tools/call"},
                      {"params", {{"name", "files__whoami"}, {"arguments", Json::object()}}}});
        return std::to_string(r.result_int()) + " " + r.body();
    }

private:
    HttpResponse post(const Json& message) {
        std::map<std::string, std::string> h{{"Content-Type", "application/json"},
                                             {"Accept", "application/json, text/event-stream"}};
        if (!session_.empty()) {
            h["Mcp-Session-Id"] = session_;
            h["MCP-Protocol-Version"] = "2025-06-18";
        }
        return http_request(port_, http::verb::post, "/mcp", h, message.dump());
    }
    unsigned short port_;
    std::string session_;
    int id_ = 1;
};

bool call_succeeded(const std::string& reply) {
    return reply.starts_with("200 ") && reply.find("authorized") != std::string::npos &&
           reply.find("\"isError\":true") == std::string::npos;
}

TEST_F(UpstreamOAuthClientTest, ProxyCallsTheProtectedServerWithoutFailuresAcrossRefreshes) {
    // 6 s tokens (whole seconds on both sides): a refresh at 75 % leaves over a second of slack
    // on a loaded machine.
    as_.set_token_lifetime(6);
    // The proxy starts before anyone logged in: the server needs a login.
    ProxyProcess proxy(common(), dir_.path());
    ASSERT_TRUE(proxy.started()) << proxy.log();
    login();
    // The kernel notices the new credentials and connects.
    ProxyClient client(proxy.port());
    std::string last;
    ASSERT_TRUE(eventually(
        [&] {
            if (!client.initialize()) return false;
            last = client.call_whoami();
            return call_succeeded(last);
        },
        15s))
        << last << "\n"
        << proxy.log();
    // Calls without pause for longer than a token lifetime and a half: every one succeeds.
    const auto grants_before = as_.counters().refresh_grants;
    const auto until = std::chrono::steady_clock::now() + 9s;
    int calls = 0;
    int failures = 0;
    while (std::chrono::steady_clock::now() < until) {
        const auto reply = client.call_whoami();
        ++calls;
        if (!call_succeeded(reply)) {
            ++failures;
            ADD_FAILURE() << "call " << calls << " failed: " << reply;
        }
        std::this_thread::sleep_for(20ms);
    }
    EXPECT_EQ(failures, 0) << "of " << calls << " calls";
    EXPECT_GE(as_.counters().refresh_grants - grants_before, 1);
    EXPECT_EQ(proxy.stop(), 0);
    expect_no_secret_in(proxy.log(), "the proxy log");
}

TEST_F(UpstreamOAuthClientTest, LoginFailsClearlyWhenNobodyAnswers) {
    // No browser ever comes back: the login ends after login_timeout with a clear error.
    const Json config = Json::parse(read_file(dir_.path() / "config.json"));
    Json changed = config;
    changed["plugins"][0]["config"]["login_timeout"] = "1s";
    dir_.write("config.json", changed.dump());
    const auto r = cli({"auth", "login", "--server", "files", "--no-browser"});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("no answer from the browser"), std::string::npos) << r.out << r.err;
    EXPECT_EQ(status()["state"], "not logged in");
    const auto unknown = cli({"auth", "login", "--server", "nope", "--no-browser"});
    EXPECT_EQ(unknown.exit_code, 2);
    EXPECT_NE(unknown.err.find("no server \"nope\""), std::string::npos);
}

}  // namespace
}  // namespace mcpproxy::test::oauth_client
