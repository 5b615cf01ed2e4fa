// ngrok's log lines, error codes, agent API shapes, config and generated files (tunnel-ngrok).
#include "ngrok_messages.hpp"

#include <gtest/gtest.h>

#include "ngrok_adapter.hpp"
#include "ngrok_agent_api.hpp"
#include "ngrok_config.hpp"
#include "ngrok_files.hpp"

namespace mcpproxy::tunnel_ngrok {
namespace {

using nlohmann::json;

TEST(NgrokVersion, ReadsNgrokVersionOutput) {
    EXPECT_EQ(parse_ngrok_version("ngrok version 3.18.4\n"), "3.18.4");
    EXPECT_EQ(parse_ngrok_version("ngrok version 2.3.41\n"), "2.3.41");  // preflight refuses v2
    EXPECT_EQ(parse_ngrok_version("ERROR:  unknown command \"version\"\n"), "");
    EXPECT_EQ(parse_ngrok_version(""), "");
}

TEST(NgrokLog, StartedTunnelLineGivesTheUrl) {
    const auto l = parse_log_line(
        R"({"addr":"http://127.0.0.1:8080","lvl":"info","msg":"started tunnel","name":"command_line","obj":"tunnels","t":"2026-01-01T00:00:00Z","url":"https://ab12.ngrok-free.app"})");
    ASSERT_TRUE(l);
    EXPECT_EQ(l->msg, "started tunnel");
    EXPECT_EQ(l->url, "https://ab12.ngrok-free.app");
    EXPECT_EQ(l->obj, "tunnels");
    EXPECT_FALSE(parse_log_line("ERROR:  authentication failed"));
}

TEST(NgrokErrors, CodesAreFoundAndExplained) {
    const auto l = parse_log_line(
        R"({"err":"authentication failed: Your account is limited to 1 simultaneous ngrok agent sessions.\r\n\r\nERR_NGROK_108\r\n","lvl":"eror","msg":"session closing","obj":"tunnels.session"})");
    ASSERT_TRUE(l);
    EXPECT_EQ(ngrok_error_code(l->err), 108);
    EXPECT_EQ(ngrok_error_code("no code here"), std::nullopt);
    for (const int code : {4018, 105, 108, 334}) {
        const auto words = explain_ngrok_error(code);
        ASSERT_TRUE(words) << code;
        EXPECT_NE(words->find("ERR_NGROK_" + std::to_string(code)), std::string::npos);
    }
    EXPECT_NE(explain_ngrok_error(4018)->find("NGROK_AUTHTOKEN"), std::string::npos);
    EXPECT_NE(explain_ngrok_error(108)->find("another ngrok agent"), std::string::npos);
    EXPECT_FALSE(explain_ngrok_error(9999));
    EXPECT_TRUE(error_is_permanent(4018));
    EXPECT_TRUE(error_is_permanent(105));
    EXPECT_FALSE(error_is_permanent(108));
    EXPECT_FALSE(error_is_permanent(334));
}

TEST(NgrokErrors, RedactRemovesEveryCopyOfTheSecret) {
    EXPECT_EQ(redact("Your authtoken: s3cret and s3cret", "s3cret"),
              "Your authtoken: [redacted] and [redacted]");
    EXPECT_EQ(redact("nothing", ""), "nothing");
}

TEST(NgrokAgentApi, UrlFromEndpointsThenTunnels) {
    const json endpoints{{"endpoints",
                          {{{"name", "other"},
                            {"url", "https://x.ngrok.app"},
                            {"upstream", {{"url", "http://127.0.0.1:9"}}}},
                           {{"name", "command_line"},
                            {"url", "https://ours.ngrok-free.app"},
                            {"upstream", {{"url", "http://127.0.0.1:8080"}}}}}}};
    EXPECT_EQ(url_from_endpoints(endpoints, "http://127.0.0.1:8080"),
              "https://ours.ngrok-free.app");
    EXPECT_EQ(url_from_endpoints(json{{"endpoints", json::array()}}, "http://127.0.0.1:8080"), "");
    const json tunnels{{"tunnels",
                        {{{"public_url", "http://ours.ngrok.io"},
                          {"proto", "http"},
                          {"config", {{"addr", "http://127.0.0.1:8080"}}}},
                         {{"public_url", "https://ours.ngrok.io"},
                          {"proto", "https"},
                          {"config", {{"addr", "http://127.0.0.1:8080"}}}}}}};
    EXPECT_EQ(url_from_tunnels(tunnels, "http://127.0.0.1:8080"), "https://ours.ngrok.io");
    EXPECT_EQ(session_status(json{{"session", {{"status", "online"}}}}), "online");
    EXPECT_EQ(session_status(json::object()), "");
}

TEST(NgrokConfig, ParsesKeysAndRefusesUnknownOnes) {
    const auto c = parse_ngrok_config(
        R"({"url": "https://mcp.example.com", "web_port": 4041, "edge_auth_check": true})");
    EXPECT_EQ(c.url, "https://mcp.example.com");
    EXPECT_EQ(c.web_port, 4041);
    EXPECT_TRUE(c.edge_auth_check);
    EXPECT_THROW(parse_ngrok_config(R"({"token": "x"})"), std::runtime_error);
    EXPECT_THROW(parse_ngrok_config(R"({"web_port": 70000})"), std::runtime_error);
    EXPECT_EQ(c.ready_timeout, std::chrono::seconds(60));
    EXPECT_EQ(parse_ngrok_config(R"({"ready_timeout_ms": 1500})").ready_timeout,
              std::chrono::milliseconds(1500));
    EXPECT_THROW(parse_ngrok_config(R"({"ready_timeout_ms": 5})"), std::runtime_error);
    NgrokConfig from_config;
    from_config.authtoken = "abc";
    EXPECT_EQ(resolve_authtoken(from_config), "abc");
    NgrokConfig from_env;
    from_env.authtoken_env = "MCPPROXY_TEST_UNSET_VARIABLE_XYZ";
    EXPECT_FALSE(resolve_authtoken(from_env));
}

TEST(NgrokFiles, AgentConfigHasOnlyTheApiAddressAndThePolicyChecksShape) {
    const auto yml = agent_config_yaml(4041);
    EXPECT_NE(yml.find("web_addr: 127.0.0.1:4041"), std::string::npos);
    EXPECT_EQ(yml.find("authtoken:"), std::string::npos);
    const auto policy = edge_auth_policy_yaml();
    EXPECT_NE(policy.find("on_http_request"), std::string::npos);
    EXPECT_NE(policy.find("mcp_agt_[0-9a-f]{64}"), std::string::npos);
    EXPECT_NE(policy.find("'/healthz'"), std::string::npos);
}

}  // namespace
}  // namespace mcpproxy::tunnel_ngrok
