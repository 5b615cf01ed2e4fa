// The token REST routes (contributed by auth-agent-token) end to end: through the management
// listener's admin-key check, against the store the CLI uses, seen by the tunneled /mcp at once.
#include <gtest/gtest.h>

#include "tests/integration/tunnel/tunnel_harness.hpp"

namespace mcpproxy::test::tunnel {
namespace {
namespace http = boost::beast::http;

class TokenApi : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        workspace_ = new Workspace;
        workspace_->create_token("bootstrap");
        proxy_ =
            new RunningProxy(*workspace_, {{"tunnel", {{"enabled", true}}},
                                           {"management", {{"listen", "127.0.0.1:0"}}},
                                           {"rate_limits", {{"auth_failures_per_minute", 1000}}}});
        proxy_->wait_ready();
        key_ = admin_key(*workspace_);
    }
    static void TearDownTestSuite() {
        delete proxy_;
        delete workspace_;
    }

    static HttpResponse call(http::verb verb, const std::string& path,
                             const std::string& body = {}) {
        return management(proxy_->management_port(), verb, "/api/v1/" + path, key_, body);
    }
    static Json json(const HttpResponse& r) { return Json::parse(r.body()); }
    static unsigned wait_for_mcp_status(const std::string& secret, unsigned wanted) {
        return poll_until([&] { return mcp_initialize(proxy_->main_port(), bearer(secret)); },
                          [wanted](const HttpResponse& r) { return r.result_int() == wanted; })
            .result_int();
    }

    static inline Workspace* workspace_ = nullptr;
    static inline RunningProxy* proxy_ = nullptr;
    static inline std::string key_;
};

// The REST call returns only once the running bridges see the change: no poll interval to wait.
TEST_F(TokenApi, ATokenMadeThroughTheApiWorksOnTheVeryNextRequest) {
    const auto r = call(http::verb::post, "tokens", R"({"name": "instant"})");
    ASSERT_EQ(r.result_int(), 201) << r.body();
    const auto secret = json(r).at("token").get<std::string>();
    EXPECT_EQ(mcp_initialize(proxy_->main_port(), bearer(secret)).result_int(), 200U);
    ASSERT_EQ(call(http::verb::post, "tokens/instant/revoke").result_int(), 200);
    EXPECT_EQ(mcp_initialize(proxy_->main_port(), bearer(secret)).result_int(), 401U);
    EXPECT_EQ(call(http::verb::delete_, "tokens/instant").result_int(), 200);
}

TEST_F(TokenApi, CreateListShowRevokeRegenerateDelete) {
    auto r = call(
        http::verb::post, "tokens",
        R"({"name": "laptop", "servers": "*", "permissions": ["read", "write"], "expires": "7d"})");
    ASSERT_EQ(r.result_int(), 201) << r.body();
    EXPECT_EQ(r[http::field::location], "/api/v1/tokens/laptop");
    EXPECT_EQ(r[http::field::cache_control], "no-store");
    EXPECT_NE(std::string(r[http::field::content_type]).find("application/json"),
              std::string::npos);
    const auto secret = json(r).at("token").get<std::string>();
    EXPECT_EQ(wait_for_mcp_status(secret, 200), 200U) << "the proxy accepts a REST-made token";

    r = call(http::verb::get, "tokens");
    ASSERT_EQ(r.result_int(), 200);
    EXPECT_EQ(r.body().find("mcp_agt_"), std::string::npos) << r.body();
    bool listed = false;
    for (const auto& t : json(r)) listed = listed || t.at("name") == "laptop";
    EXPECT_TRUE(listed) << r.body();

    const auto cli = workspace_->cli({"token", "show", "laptop", "-o", "json"});
    ASSERT_EQ(cli.exit_code, 0) << cli.err;
    EXPECT_EQ(Json::parse(cli.out).at("permissions"), Json::array({"read", "write"}));

    r = call(http::verb::post, "tokens/laptop/regenerate", R"({"grace": "0s"})");
    ASSERT_EQ(r.result_int(), 200) << r.body();
    const auto fresh = json(r).at("token").get<std::string>();
    EXPECT_EQ(wait_for_mcp_status(fresh, 200), 200U);
    EXPECT_EQ(wait_for_mcp_status(secret, 401), 401U) << "the replaced secret stops at once";

    r = call(http::verb::post, "tokens/laptop/revoke");
    ASSERT_EQ(r.result_int(), 200) << r.body();
    EXPECT_EQ(json(r).at("status"), "revoked");
    EXPECT_EQ(wait_for_mcp_status(fresh, 401), 401U);
    EXPECT_EQ(call(http::verb::post, "tokens/laptop/regenerate").result_int(), 409);

    r = call(http::verb::delete_, "tokens/laptop");
    ASSERT_EQ(r.result_int(), 200) << r.body();
    EXPECT_EQ(call(http::verb::get, "tokens/laptop").result_int(), 404);
}

TEST_F(TokenApi, ErrorsAreJsonWithTheRightStatus) {
    const auto expect_error = [](const HttpResponse& r, int status, const std::string& code) {
        EXPECT_EQ(r.result_int(), status) << r.body();
        const auto j = Json::parse(r.body());
        EXPECT_EQ(j.at("error"), code) << r.body();
        EXPECT_TRUE(j.at("message").is_string()) << r.body();
    };
    expect_error(call(http::verb::post, "tokens", "{not json"), 400, "bad_request");
    expect_error(call(http::verb::post, "tokens", R"({"name": "bad name"})"), 400, "bad_request");
    expect_error(call(http::verb::post, "tokens", R"({"name": "bootstrap"})"), 409, "conflict");
    expect_error(call(http::verb::get, "tokens/nobody"), 404, "not_found");
    expect_error(call(http::verb::post, "tokens/nobody/revoke"), 404, "not_found");
    expect_error(call(http::verb::put, "tokens"), 405, "method_not_allowed");
}

TEST_F(TokenApi, ACliMadeTokenIsVisibleToTheApi) {
    workspace_->create_token("from-cli");
    const auto r = call(http::verb::get, "tokens/from-cli");
    ASSERT_EQ(r.result_int(), 200) << r.body();
    EXPECT_EQ(json(r).at("status"), "active");
}

}  // namespace
}  // namespace mcpproxy::test::tunnel
