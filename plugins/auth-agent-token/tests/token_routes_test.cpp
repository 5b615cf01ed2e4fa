// The /api/v1/tokens management route, called the way the kernel calls it.
#include "token_routes.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <thread>

#include "agent_token_plugin.hpp"
#include "cli_test_support.hpp"
#include "fakes.hpp"
#include "temp_dir.hpp"
#include "token_format.hpp"

using namespace mcpproxy::agent_token;
using agt_test::FakeHost;
using agt_test::FakeRequest;
using agt_test::TempDir;
using mcpproxy::sdk::AuthOutcome;
using mcpproxy::sdk::RouteResponse;
using mcpproxy::sdk::RouteSurface;
using Json = nlohmann::json;
using namespace std::chrono_literals;

namespace {

class RouteRequest final : public mcpproxy::sdk::RouteRequest {
public:
    RouteRequest(std::string method, std::string path, std::string body = {})
        : method_(std::move(method)), path_(std::move(path)), body_(std::move(body)) {}
    [[nodiscard]] std::string_view method() const override { return method_; }
    [[nodiscard]] std::string_view path() const override { return path_; }
    [[nodiscard]] std::optional<std::string_view> query_param(std::string_view) const override {
        return std::nullopt;
    }
    [[nodiscard]] std::optional<std::string_view> header(std::string_view) const override {
        return std::nullopt;
    }
    [[nodiscard]] std::string_view body() const override { return body_; }

private:
    std::string method_, path_, body_;
};

class TokenRoutesTest : public ::testing::Test {
protected:
    TokenRoutesTest() : host(dir.path().string()), plugin(host) {}

    RouteResponse call(const std::string& method, const std::string& path,
                       const std::string& body = {}) {
        EXPECT_EQ(host.routes.size(), 1U);
        return host.routes.at(0).handler(RouteRequest(method, "/api/v1/" + path, body));
    }
    static Json body(const RouteResponse& r) { return Json::parse(r.body); }

    // POST tokens with body; returns the secret.
    std::string create(const Json& request) {
        const auto r = call("POST", "tokens", request.dump());
        EXPECT_EQ(r.status, 201) << r.body;
        return r.status == 201 ? body(r).at("token").get<std::string>() : std::string();
    }

    static void expect_error(const RouteResponse& r, int status, const std::string& code) {
        EXPECT_EQ(r.status, status) << r.body;
        EXPECT_EQ(r.content_type, "application/json");
        const auto j = Json::parse(r.body);
        EXPECT_EQ(j.at("error"), code) << r.body;
        EXPECT_FALSE(j.at("message").get<std::string>().empty()) << r.body;
    }

    TempDir dir;
    FakeHost host;
    AgentTokenPlugin plugin;
};

}  // namespace

TEST_F(TokenRoutesTest, RegistersOneManagementRouteForTokensFromTheConstructor) {
    ASSERT_EQ(host.routes.size(), 1U);
    EXPECT_EQ(host.routes[0].surface, RouteSurface::management);
    EXPECT_EQ(host.routes[0].prefix, "tokens");
    EXPECT_FALSE(std::filesystem::exists(dir.path() / "tokens.db"));
}

TEST_F(TokenRoutesTest, CreateAnswers201WithTheSecretOnceAndAWarning) {
    const auto r = call("POST", "tokens",
                        R"({"name": "ci-bot", "servers": ["github", "fs"],
                            "permissions": ["read", "write"], "expires": "12h",
                            "limits": {"requests_per_second": 2.5, "burst": 10, "max_concurrent": 4}})");
    ASSERT_EQ(r.status, 201) << r.body;
    EXPECT_EQ(r.content_type, "application/json");
    EXPECT_EQ(r.headers.at("Location"), "/api/v1/tokens/ci-bot");
    const auto j = body(r);
    const auto secret = j.at("token").get<std::string>();
    EXPECT_TRUE(is_well_formed_token(secret));
    EXPECT_EQ(r.body.find(secret), r.body.rfind(secret)) << "the secret appears once";
    EXPECT_EQ(j.at("name"), "ci-bot");
    EXPECT_EQ(j.at("servers"), Json::array({"github", "fs"}));
    EXPECT_EQ(j.at("permissions"), Json::array({"read", "write"}));
    EXPECT_EQ(j.at("status"), "active");
    EXPECT_EQ(j.at("limits").at("burst"), 10);
    EXPECT_EQ(j.at("limits").at("requests_per_second"), 2.5);
    EXPECT_NE(j.at("warning").get<std::string>().find("only time"), std::string::npos);
}

TEST_F(TokenRoutesTest, CreateAcceptsCommaSeparatedStringsAndAppliesTheDefaults) {
    create({{"name", "a"}, {"servers", "github,fs"}, {"permissions", "read,write,destructive"}});
    auto j = body(call("GET", "tokens/a"));
    EXPECT_EQ(j.at("servers"), Json::array({"github", "fs"}));
    EXPECT_EQ(j.at("permissions"), Json::array({"read", "write", "destructive"}));

    create({{"name", "defaults"}});
    j = body(call("GET", "tokens/defaults"));
    EXPECT_EQ(j.at("servers"), Json::array({"*"}));
    EXPECT_EQ(j.at("permissions"), Json::array({"read"}));
    const auto created = j.at("created_at").get<std::string>();
    const auto expires = j.at("expires_at").get<std::string>();
    EXPECT_NE(created, expires);
}

TEST_F(TokenRoutesTest, ListAndShowNeverCarryASecretOrAHash) {
    const auto secret = create({{"name", "one"}});
    create({{"name", "two"}, {"permissions", "read,write"}});
    const auto list = call("GET", "tokens");
    ASSERT_EQ(list.status, 200) << list.body;
    const auto j = body(list);
    ASSERT_TRUE(j.is_array());
    ASSERT_EQ(j.size(), 2U);
    EXPECT_EQ(j[0].at("name"), "one");
    EXPECT_EQ(j[1].at("name"), "two");
    for (const auto* path : {"tokens", "tokens/one"}) {
        const auto r = call("GET", path);
        EXPECT_EQ(r.body.find("mcp_agt_"), std::string::npos) << r.body;
        EXPECT_EQ(r.body.find(secret.substr(8)), std::string::npos);
        EXPECT_EQ(r.body.find("hash"), std::string::npos);
        EXPECT_EQ(r.body.find("\"token\""), std::string::npos);
    }
    EXPECT_EQ(call("GET", "tokens/").status, 200) << "a trailing slash is the collection";
}

TEST_F(TokenRoutesTest, DuplicateNamesAreConflictsWhateverTheirCase) {
    create({{"name", "ci-bot"}});
    expect_error(call("POST", "tokens", R"({"name": "ci-bot"})"), 409, "conflict");
    expect_error(call("POST", "tokens", R"({"name": "CI-Bot"})"), 409, "conflict");
}

TEST_F(TokenRoutesTest, BadRequestsAre400WithAMessage) {
    const std::pair<const char*, const char*> cases[] = {
        {"not json", "not JSON"},
        {"[1, 2]", "an array"},
        {"{}", "no name"},
        {R"({"name": ""})", "an empty name"},
        {R"({"name": "has space"})", "an invalid name"},
        {R"({"name": 7})", "a number as name"},
        {R"({"name": "a", "colour": "red"})", "an unknown field"},
        {R"({"name": "a", "permissions": ["write"]})", "write without read"},
        {R"({"name": "a", "permissions": "root"})", "an unknown permission"},
        {R"({"name": "a", "servers": []})", "an empty server list"},
        {R"({"name": "a", "servers": ["a,b"]})", "a comma inside a list item"},
        {R"({"name": "a", "servers": [1]})", "a number in the server list"},
        {R"({"name": "a", "expires": "400d"})", "an expiry over a year"},
        {R"({"name": "a", "expires": "soon"})", "an unreadable expiry"},
        {R"({"name": "a", "limits": {"burst": 0}})", "a zero burst"},
        {R"({"name": "a", "limits": {"burst": 1.5}})", "a fractional burst"},
        {R"({"name": "a", "limits": {"requests_per_second": -1}})", "a negative rate"},
        {R"({"name": "a", "limits": {"rps": 1}})", "an unknown limit"},
        {R"({"name": "a", "limits": 5})", "limits that are not an object"},
    };
    for (const auto& [request, what] : cases) {
        SCOPED_TRACE(what);
        expect_error(call("POST", "tokens", request), 400, "bad_request");
    }
    EXPECT_EQ(body(call("GET", "tokens")).size(), 0U) << "nothing was created";
    expect_error(call("GET", "tokens/bad%20name"), 400, "bad_request");
}

TEST_F(TokenRoutesTest, AnErrorNeverEchoesASecretPastedIntoAField) {
    const auto secret = create({{"name", "real"}});
    for (const auto& request :
         {Json{{"name", secret}}, Json{{"name", "x"}, {"servers", secret + " x"}},
          Json{{"name", "x"}, {"permissions", secret}}, Json{{"name", "x"}, {secret, 1}}}) {
        const auto r = call("POST", "tokens", request.dump());
        EXPECT_EQ(r.status, 400);
        EXPECT_EQ(r.body.find(secret.substr(8, 16)), std::string::npos) << r.body;
    }
}

TEST_F(TokenRoutesTest, UnknownTokensAre404) {
    expect_error(call("GET", "tokens/ghost"), 404, "not_found");
    expect_error(call("POST", "tokens/ghost/revoke"), 404, "not_found");
    expect_error(call("POST", "tokens/ghost/regenerate"), 404, "not_found");
    expect_error(call("DELETE", "tokens/ghost"), 404, "not_found");
    expect_error(call("POST", "tokens/ghost/rename"), 404, "not_found");
    expect_error(call("GET", "tokens/a/b/c"), 404, "not_found");
}

TEST_F(TokenRoutesTest, WrongMethodsAre405WithAllow) {
    auto r = call("PUT", "tokens");
    expect_error(r, 405, "method_not_allowed");
    EXPECT_EQ(r.headers.at("Allow"), "GET, POST");
    r = call("POST", "tokens/x");
    expect_error(r, 405, "method_not_allowed");
    EXPECT_EQ(r.headers.at("Allow"), "GET, DELETE");
    r = call("GET", "tokens/x/revoke");
    expect_error(r, 405, "method_not_allowed");
    EXPECT_EQ(r.headers.at("Allow"), "POST");
}

TEST_F(TokenRoutesTest, RevokeMarksTheTokenRevokedAndIsIdempotent) {
    create({{"name", "agent"}});
    auto r = call("POST", "tokens/agent/revoke");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(body(r).at("status"), "revoked");
    EXPECT_EQ(body(r).at("already_revoked"), false);
    EXPECT_FALSE(body(r).at("revoked_at").is_null());
    r = call("POST", "tokens/agent/revoke");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(body(r).at("already_revoked"), true);
    EXPECT_EQ(body(call("GET", "tokens/agent")).at("status"), "revoked");
}

TEST_F(TokenRoutesTest, RegenerateReturnsANewSecretOnceAndHonoursGrace) {
    const auto old_secret = create({{"name", "rot"}});
    auto r = call("POST", "tokens/rot/regenerate", R"({"grace": "60s"})");
    ASSERT_EQ(r.status, 200) << r.body;
    const auto j = body(r);
    const auto fresh = j.at("token").get<std::string>();
    EXPECT_TRUE(is_well_formed_token(fresh));
    EXPECT_NE(fresh, old_secret);
    EXPECT_FALSE(j.at("previous_secret_valid_until").is_null());
    EXPECT_NE(j.at("warning").get<std::string>().find("only time"), std::string::npos);

    r = call("POST", "tokens/rot/regenerate");  // no body: grace 0
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_TRUE(body(r).at("previous_secret_valid_until").is_null());

    expect_error(call("POST", "tokens/rot/regenerate", R"({"grace": "8d"})"), 400, "bad_request");
    expect_error(call("POST", "tokens/rot/regenerate", R"({"secret": "x"})"), 400, "bad_request");
}

TEST_F(TokenRoutesTest, RegeneratingARevokedOrExpiredTokenIsAConflict) {
    create({{"name", "gone"}});
    call("POST", "tokens/gone/revoke");
    expect_error(call("POST", "tokens/gone/regenerate"), 409, "conflict");

    create({{"name", "old"}, {"expires", "1h"}});
    host.clock.advance(2h);
    expect_error(call("POST", "tokens/old/regenerate"), 409, "conflict");
    const auto r = call("POST", "tokens/old/regenerate", R"({"expires": "30d"})");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(body(r).at("status"), "active");
}

TEST_F(TokenRoutesTest, DeleteRemovesTheToken) {
    create({{"name", "tmp"}});
    const auto r = call("DELETE", "tokens/tmp");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(body(r).at("deleted"), true);
    expect_error(call("GET", "tokens/tmp"), 404, "not_found");
    EXPECT_EQ(body(call("GET", "tokens")).size(), 0U);
}

TEST_F(TokenRoutesTest, TheCliAndTheRouteShareOneStore) {
    agt_test::create_token(host, "from-cli");
    create({{"name", "from-rest"}});
    EXPECT_EQ(body(call("GET", "tokens")).size(), 2U);
    const auto listed = agt_test::run(host, "token list", {{"output", "json"}});
    ASSERT_EQ(listed.exit_code, 0) << listed.err;
    EXPECT_EQ(Json::parse(listed.out).size(), 2U);
    call("POST", "tokens/from-cli/revoke");
    const auto shown =
        agt_test::run(host, "token show", {{"output", "json"}}, {{"name", "from-cli"}});
    EXPECT_EQ(Json::parse(shown.out).at("status"), "revoked");
}

TEST_F(TokenRoutesTest, ARunningBridgeSeesRouteChangesWithoutARestart) {
    plugin.start();
    const auto secret = create({{"name", "live"}});
    auto answer = [&] {
        return plugin.auth_bridge()
            ->authenticate(FakeRequest().with_header("Authorization", "Bearer " + secret))
            .outcome;
    };
    auto wait_for = [&](AuthOutcome wanted) {
        const auto deadline = std::chrono::steady_clock::now() + 5s;
        while (answer() != wanted && std::chrono::steady_clock::now() < deadline) {
            std::this_thread::sleep_for(5ms);
        }
        return answer();
    };
    EXPECT_EQ(wait_for(AuthOutcome::authenticated), AuthOutcome::authenticated);
    call("POST", "tokens/live/revoke");
    EXPECT_EQ(wait_for(AuthOutcome::rejected), AuthOutcome::rejected);
}
