// The upstream token store (SQLite, 0600, reopen, compare-and-swap writes), the refresh schedule
// and back-off with a scripted token endpoint, the verdicts given to the kernel on a 401, and
// `auth status` rows.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>

#include "mcpproxy/sdk/testing/load_plugin.hpp"
#include "mcpproxy/sdk/testing/test_host.hpp"
#include "oauth_plugin.hpp"
#include "upstream/auth_status.hpp"
#include "upstream/oauth_urls.hpp"
#include "upstream/token_refresher.hpp"
#include "upstream/token_store.hpp"
#include "upstream/upstream_credentials_provider.hpp"

namespace mcpproxy::oauth {
namespace {

namespace fs = std::filesystem;
using sdk::testing::TestHost;
using std::chrono::seconds;

class TempDir {
public:
    TempDir() {
        auto tmpl = (fs::temp_directory_path() / "oauth-upstream-XXXXXX").string();
        path_ = ::mkdtemp(tmpl.data());
    }
    ~TempDir() { fs::remove_all(path_); }
    [[nodiscard]] const fs::path& path() const { return path_; }

private:
    fs::path path_;
};

constexpr std::int64_t kT0 = 1'800'000'000;

TokenRecord sample(const std::string& server = "files") {
    TokenRecord r;
    r.server = server;
    r.issuer = "https://auth.example";
    r.resource = "https://mcp.example/mcp";
    r.token_endpoint = "https://auth.example/token";
    r.client_id = "client-1";
    r.auth_method = "none";
    r.access_token = "access-1";
    r.refresh_token = "refresh-1";
    r.scope = "mcp";
    r.obtained_at = kT0;
    r.expires_at = kT0 + 100;
    return r;
}

unsigned file_mode(const fs::path& p) {
    struct stat st {};
    ::stat(p.c_str(), &st);
    return st.st_mode & 0777U;
}

TEST(TokenStore, IsPrivateAndSurvivesReopen) {
    TempDir dir;
    ::umask(0022);
    {
        TokenStore store(dir.path());
        store.put_token(sample());
        store.put_client(
            {"files", "https://auth.example", "http://127.0.0.1:8765/callback", "c", "", "none"});
        EXPECT_EQ(file_mode(store.file()), 0600U);
    }
    for (const auto& e : fs::directory_iterator(dir.path())) {
        EXPECT_EQ(file_mode(e.path()), 0600U) << e.path();
    }
    TokenStore again(dir.path());
    const auto t = again.token("files");
    ASSERT_TRUE(t);
    EXPECT_EQ(t->access_token, "access-1");
    EXPECT_EQ(t->refresh_token, "refresh-1");
    EXPECT_EQ(t->expires_at, kT0 + 100);
    EXPECT_TRUE(t->send_resource);
    EXPECT_EQ(again.client("files")->client_id, "c");
    EXPECT_FALSE(again.token("other"));
}

TEST(TokenStore, TightensAnExistingLooseFile) {
    TempDir dir;
    const auto file = dir.path() / kTokenStoreFileName;
    { TokenStore store(dir.path()); }
    fs::permissions(file, fs::perms::owner_read | fs::perms::owner_write | fs::perms::others_read);
    TokenStore store(dir.path());
    EXPECT_EQ(file_mode(file), 0600U);
}

TEST(TokenStore, ConditionalWritesLoseToALoginInBetween) {
    TempDir dir;
    TokenStore store(dir.path());
    store.put_token(sample());
    auto login = sample();
    login.refresh_token = "refresh-from-new-login";
    store.put_token(login);
    auto refreshed = sample();
    refreshed.access_token = "access-2";
    EXPECT_FALSE(store.replace_token_if("refresh-1", refreshed));
    EXPECT_FALSE(store.mark_login_needed_if("files", "refresh-1", "rejected"));
    EXPECT_EQ(store.token("files")->refresh_token, "refresh-from-new-login");
    EXPECT_TRUE(store.mark_login_needed_if("files", "refresh-from-new-login", "rejected"));
    EXPECT_EQ(store.token("files")->login_needed, "rejected");
    EXPECT_TRUE(store.token("files")->refresh_token.empty());
}

TEST(TokenStore, DataVersionMovesWhenAnotherConnectionWrites) {
    TempDir dir;
    TokenStore reader(dir.path());
    TokenStore writer(dir.path());
    const auto before = reader.data_version();
    writer.put_token(sample());
    EXPECT_NE(reader.data_version(), before);
    EXPECT_TRUE(writer.delete_token("files"));
    EXPECT_FALSE(writer.delete_token("files"));
}

TEST(RefreshSchedule, AtThreeQuartersOfTheLifetime) {
    EXPECT_EQ(refresh_due_at(1000, 1100, 0.75), 1075);
    EXPECT_EQ(refresh_due_at(1000, 0, 0.75), 0);  // unknown lifetime: only on demand
}

struct RefreshFixture : ::testing::Test {
    TempDir dir;
    TestHost host{"{}", dir.path().string()};
    TokenStore store{dir.path()};
    TokenSnapshot snapshot;
    TokenRefresher refresher{
        store,
        snapshot,
        host.http(),
        host.logger(),
        [this] { return host.now(); },
        RefreshPolicy{0.75, seconds(1), seconds(8), std::chrono::milliseconds(50)}};

    void at(std::int64_t t) { host.set_now(std::chrono::system_clock::time_point(seconds(t))); }
    std::size_t token_posts() {
        std::size_t n = 0;
        for (const auto& r : host.scripted_http().requests()) {
            if (r.method == "POST") ++n;
        }
        return n;
    }
    void answer_token(int status, const std::string& body) {
        sdk::HttpClientResponse res;
        res.status = status;
        res.body = body;
        host.scripted_http().answer("POST", "https://auth.example/token", res);
    }
};

TEST_F(RefreshFixture, RefreshesAtSeventyFivePercentWithTheResourceAndRotates) {
    store.put_token(sample());
    answer_token(
        200,
        R"({"access_token":"access-2","refresh_token":"refresh-2","token_type":"Bearer","expires_in":100})");
    at(kT0 + 74);
    refresher.run_once();
    EXPECT_EQ(token_posts(), 0U);
    EXPECT_EQ(snapshot.get("files")->access_token, "access-1");
    at(kT0 + 75);
    refresher.run_once();
    ASSERT_EQ(token_posts(), 1U);
    const auto body = parse_query(host.scripted_http().requests().back().body);
    EXPECT_EQ(body.at("grant_type"), "refresh_token");
    EXPECT_EQ(body.at("refresh_token"), "refresh-1");
    EXPECT_EQ(body.at("resource"), "https://mcp.example/mcp");
    EXPECT_EQ(body.at("client_id"), "client-1");
    const auto stored = store.token("files");
    EXPECT_EQ(stored->access_token, "access-2");
    EXPECT_EQ(stored->refresh_token, "refresh-2");
    EXPECT_EQ(stored->expires_at, kT0 + 175);
    EXPECT_EQ(snapshot.get("files")->access_token, "access-2");
    EXPECT_TRUE(host.log().contains("refreshed the access token for upstream \"files\""));
    EXPECT_FALSE(host.log().contains("access-2"));
    EXPECT_FALSE(host.log().contains("refresh-1"));
}

TEST_F(RefreshFixture, OmitsTheResourceWhenSwitchedOff) {
    auto r = sample();
    r.send_resource = false;
    store.put_token(r);
    answer_token(200, R"({"access_token":"access-2","expires_in":100})");
    at(kT0 + 80);
    refresher.run_once();
    ASSERT_EQ(token_posts(), 1U);
    EXPECT_EQ(parse_query(host.scripted_http().requests().back().body).count("resource"), 0U);
    EXPECT_EQ(store.token("files")->refresh_token, "refresh-1");  // not rotated: kept
}

TEST_F(RefreshFixture, BacksOffExponentiallyOnFailure) {
    store.put_token(sample());
    answer_token(503, "busy");
    std::vector<std::int64_t> attempts;
    for (std::int64_t t = kT0 + 75; t < kT0 + 75 + 40; ++t) {
        at(t);
        const auto before = token_posts();
        refresher.run_once();
        if (token_posts() > before) attempts.push_back(t - (kT0 + 75));
    }
    // 1 s, 2 s, 4 s, then capped at 8 s.
    EXPECT_EQ(attempts, (std::vector<std::int64_t>{0, 1, 3, 7, 15, 23, 31, 39}));
    EXPECT_EQ(store.token("files")->access_token, "access-1");
    int warnings = 0;
    for (const auto& line : host.log().lines()) {
        if (line.level == sdk::LogLevel::warn) ++warnings;
    }
    EXPECT_EQ(warnings, 1);  // the first failure of a series, then debug
}

TEST_F(RefreshFixture, ARejectedRefreshTokenMarksLoginNeededOnceAndStops) {
    store.put_token(sample());
    answer_token(400, R"({"error":"invalid_grant","error_description":"revoked"})");
    refresher.request_refresh("files");
    for (std::int64_t t = kT0 + 10; t < kT0 + 200; t += 5) {
        at(t);
        refresher.run_once();
        refresher.request_refresh("files");
    }
    EXPECT_EQ(token_posts(), 1U);
    const auto stored = store.token("files");
    EXPECT_NE(stored->login_needed.find("invalid_grant"), std::string::npos);
    EXPECT_FALSE(snapshot.get("files")->refreshable);
    EXPECT_EQ(snapshot.get("files")->login_needed, stored->login_needed);
    int warnings = 0;
    for (const auto& line : host.log().lines()) {
        if (line.message.find("auth login --server files") != std::string::npos) ++warnings;
    }
    EXPECT_EQ(warnings, 1);
}

TEST_F(RefreshFixture, SeesAnotherProcesssLoginThroughTheThread) {
    refresher.start();
    EXPECT_FALSE(snapshot.get("files"));
    TokenStore cli(dir.path());  // another connection, like `mcpproxy auth login`
    cli.put_token(sample());
    const auto deadline = std::chrono::steady_clock::now() + seconds(2);
    while (!snapshot.get("files") && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ASSERT_TRUE(snapshot.get("files"));
    EXPECT_EQ(snapshot.get("files")->access_token, "access-1");
    refresher.stop();
    EXPECT_TRUE(
        host.log().contains("upstream \"files\": using the OAuth access token from a new login"));
}

TEST(UpstreamCredentials, VerdictsOnA401) {
    TokenSnapshot snapshot;
    std::vector<std::string> refreshes;
    UpstreamCredentialsProvider provider(snapshot,
                                         [&](const std::string& s) { refreshes.push_back(s); });
    const auto url = "https://mcp.example/mcp";
    // No token: another scheme is not ours; a Bearer challenge asks for a login.
    EXPECT_TRUE(provider.headers_for("files", url).empty());
    EXPECT_EQ(provider.on_unauthorized("files", url, R"(Basic realm="x")").verdict,
              sdk::UnauthorizedVerdict::not_mine);
    auto a = provider.on_unauthorized("files", url, R"(Bearer resource_metadata="https://x/y")");
    EXPECT_EQ(a.verdict, sdk::UnauthorizedVerdict::login_needed);
    EXPECT_NE(a.detail.find("mcpproxy auth login --server files"), std::string::npos);

    // A token that arrived after the request left (never handed out): retry.
    snapshot.replace_all({sample()});
    EXPECT_EQ(provider.on_unauthorized("files", url, "Bearer").verdict,
              sdk::UnauthorizedVerdict::retry);
    const auto h = provider.headers_for("files", url);
    ASSERT_EQ(h.size(), 1U);
    EXPECT_EQ(h[0].name, "Authorization");
    EXPECT_EQ(h[0].value, "Bearer access-1");

    // The token that was sent is refused: one refresh, however many 401s follow.
    a = provider.on_unauthorized("files", url, "Bearer error=\"invalid_token\"");
    EXPECT_EQ(a.verdict, sdk::UnauthorizedVerdict::login_needed);
    EXPECT_NE(a.detail.find("refreshing"), std::string::npos);
    for (int i = 0; i < 5; ++i) (void)provider.on_unauthorized("files", url, "Bearer");
    EXPECT_EQ(refreshes, std::vector<std::string>{"files"});
    EXPECT_EQ(a.detail.find("access-1"), std::string::npos);

    // The refreshed token was not sent yet: retry.
    auto next = sample();
    next.access_token = "access-2";
    snapshot.replace_all({next});
    EXPECT_EQ(provider.on_unauthorized("files", url, "Bearer").verdict,
              sdk::UnauthorizedVerdict::retry);

    // Login needed in the store: say which command to run, no refresh.
    next.login_needed = "refresh token rejected";
    next.refresh_token.clear();
    snapshot.replace_all({next});
    a = provider.on_unauthorized("files", url, "Bearer");
    EXPECT_EQ(a.verdict, sdk::UnauthorizedVerdict::login_needed);
    EXPECT_NE(a.detail.find("mcpproxy auth login --server files"), std::string::npos);
    EXPECT_EQ(refreshes.size(), 1U);
}

TEST(AuthStatus, StatesWithoutSecrets) {
    auto r = sample();
    EXPECT_EQ(status_of("files", "u", r, kT0 + 10).state, "valid");
    EXPECT_EQ(status_of("files", "u", r, kT0 + 10).expires_in, 90);
    EXPECT_EQ(status_of("files", "u", r, kT0 + 200).state, "expired");
    EXPECT_EQ(status_of("files", "u", std::nullopt, kT0).state, "not logged in");
    r.login_needed = "rejected";
    EXPECT_EQ(status_of("files", "u", r, kT0).state, "login needed");
    r.login_needed.clear();
    r.refresh_token.clear();
    EXPECT_EQ(status_of("files", "u", r, kT0 + 200).state, "login needed");

    const auto rows = status_rows({{"files", "https://mcp.example/mcp", true}, {"local", "", true}},
                                  {sample(), sample("gone")}, kT0);
    ASSERT_EQ(rows.size(), 2U);  // the stdio server is not listed
    EXPECT_EQ(rows[1].server, "gone");
    const auto text = status_json(rows).dump() + status_table(rows);
    EXPECT_EQ(text.find("access-1"), std::string::npos);
    EXPECT_EQ(text.find("refresh-1"), std::string::npos);
}

TEST(OAuthPluginUpstream, LoadsWithOnlyUpstreamsAndRegistersTheAuthCommands) {
    TempDir dir;
    TestHost host(R"({"upstreams":{"files":{"scopes":["mcp"]},"typo":{}},"callback_port":18765})",
                  dir.path().string());
    host.set_upstream_servers({{"files", "https://mcp.example/mcp", true}});
    OAuthPlugin plugin(host);
    EXPECT_EQ(plugin.auth_bridge(), nullptr);
    ASSERT_NE(plugin.upstream_credentials(), nullptr);
    const auto paths = host.command_paths();
    for (const auto* p : {"auth login", "auth status", "auth logout"}) {
        EXPECT_NE(std::find(paths.begin(), paths.end(), p), paths.end()) << p;
    }
    plugin.start();
    EXPECT_TRUE(host.log().contains("config.upstreams.typo: no HTTP server of that name"));
    EXPECT_FALSE(host.log().contains("config.upstreams.files"));
    TokenStore(dir.path()).put_token(sample());
    const auto status = host.run_command("auth status", {{{"output", "json"}}, {}, {}});
    EXPECT_EQ(status.exit_code, 0);
    EXPECT_NE(status.out.find("\"server\": \"files\""), std::string::npos) << status.out;
    EXPECT_EQ(status.out.find("access-1"), std::string::npos);
    const auto deadline = std::chrono::steady_clock::now() + seconds(2);
    while (plugin.upstream_credentials()->headers_for("files", "").empty() &&
           std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    EXPECT_EQ(plugin.upstream_credentials()->headers_for("files", "").size(), 1U);
    EXPECT_NE(plugin.health_detail().find("files"), std::string::npos);
    const auto bad = host.run_command("auth login", {{{"server", "nope"}}, {}, {}});
    EXPECT_EQ(bad.exit_code, 2);
    const auto out = host.run_command("auth logout", {{{"server", "files"}}, {}, {}});
    EXPECT_EQ(out.exit_code, 0);
    EXPECT_FALSE(TokenStore(dir.path()).token("files"));
    plugin.stop();
}

TEST(OAuthPluginUpstream, AnUnusableStoreDisablesOnlyTheUpstreamHalf) {
    TempDir dir;
    fs::create_directories(dir.path() / kTokenStoreFileName);  // a directory where the file goes
    TestHost host("{}", dir.path().string());
    OAuthPlugin plugin(host);
    EXPECT_NO_THROW(plugin.start());
    EXPECT_TRUE(plugin.upstream_credentials()->headers_for("files", "").empty());
    EXPECT_NE(plugin.health_detail().find("upstream OAuth disabled"), std::string::npos)
        << plugin.health_detail();
    plugin.stop();
}

}  // namespace
}  // namespace mcpproxy::oauth
