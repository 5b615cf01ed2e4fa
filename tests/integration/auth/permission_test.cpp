// The policy engine through the real binary: what a token may see and call, how a refusal looks
// to the client, and that it is logged against the token's name (R-POL-1, R-AUTH-4, R-OPS-2).
#include <gtest/gtest.h>

#include <algorithm>

#include "tests/integration/auth/auth_harness.hpp"

namespace mcpproxy::test::auth {
namespace {

using Names = std::vector<std::string>;

bool has_denial(const Json& records, const std::string& tool) {
    return std::any_of(records.begin(), records.end(),
                       [&](const Json& r) { return r.value("tool", "") == tool; });
}

const Json* find_tool_record(const Json& records, const std::string& tool) {
    for (const auto& r : records) {
        if (r.value("tool", "") == tool) return &r;
    }
    return nullptr;
}

TEST(DirectModePermissionTest, ReadTokenCallingAWriteToolGets403AndTheDenialIsLogged) {
    AuthProxy proxy;
    const auto reader = proxy.create_token("reader-bot");  // default permissions: read only
    proxy.start();
    McpSession s(proxy.port(), bearer(reader));
    ASSERT_EQ(s.initialize().result_int(), 200);

    ASSERT_EQ(s.call_tool("alpha__echo", {{"text", "reading is fine"}}).result_int(), 200);
    for (const std::string tool : {"alpha__write_note", "alpha__delete_notes"}) {
        const auto r = s.call_tool(tool, {{"text", "x"}});
        ASSERT_EQ(r.result_int(), 403) << tool << ": " << r.body();
        const auto rpc = rpc_body(r);
        ASSERT_TRUE(rpc.contains("error")) << rpc.dump();
        EXPECT_EQ(rpc["error"].value("code", 0), -32004);
        EXPECT_FALSE(rpc.contains("result"));
    }

    const auto records =
        poll_activity(proxy, {"--agent", "reader-bot", "--decision", "denied"}, [](const Json& rs) {
            return has_denial(rs, "write_note") && has_denial(rs, "delete_notes");
        });
    for (const std::string tool : {"write_note", "delete_notes"}) {
        const Json* r = find_tool_record(records, tool);
        ASSERT_NE(r, nullptr) << tool << " not logged as denied:\n" << records.dump(2);
        EXPECT_EQ(r->value("identity_name", ""), "reader-bot");
        EXPECT_EQ(r->value("identity_kind", ""), "agent_token");
        EXPECT_EQ(r->value("server", ""), "alpha");
        EXPECT_EQ(r->value("decision", ""), "denied");
        EXPECT_EQ(r->value("reason", ""), "permission_missing");
        EXPECT_EQ(r->value("http_status", 0), 403);
        EXPECT_EQ(r->value("jsonrpc_error", 0), -32004);
        EXPECT_EQ(r->value("method", ""), "tools/call");
        EXPECT_EQ(r->value("client_address", ""), "127.0.0.1");
        EXPECT_FALSE(r->value("request_id", "").empty());
    }
    // The allowed call is not among the denials, and is logged as allowed.
    EXPECT_FALSE(has_denial(records, "echo")) << records.dump(2);
    const auto allowed = poll_activity(proxy, {"--agent", "reader-bot", "--decision", "allowed"},
                                       [](const Json& rs) { return has_denial(rs, "echo"); });
    EXPECT_TRUE(has_denial(allowed, "echo")) << allowed.dump(2);
}

TEST(DirectModePermissionTest, PermissionsAreCumulative) {
    AuthProxy proxy;
    const auto writer = proxy.create_token("writer-bot", {"--permissions", "read,write"});
    const auto admin = proxy.create_token("admin-bot", {"--permissions", "read,write,destructive"});
    proxy.start();
    McpSession w(proxy.port(), bearer(writer));
    ASSERT_EQ(w.initialize().result_int(), 200);
    EXPECT_EQ(w.call_tool("alpha__echo", {{"text", "r"}}).result_int(), 200);
    EXPECT_EQ(w.call_tool("alpha__write_note", {{"text", "w"}}).result_int(), 200);
    EXPECT_EQ(w.call_tool("alpha__delete_notes").result_int(), 403);
    McpSession a(proxy.port(), bearer(admin));
    ASSERT_EQ(a.initialize().result_int(), 200);
    EXPECT_EQ(a.call_tool("alpha__echo", {{"text", "r"}}).result_int(), 200);
    EXPECT_EQ(a.call_tool("alpha__write_note", {{"text", "w"}}).result_int(), 200);
    EXPECT_EQ(a.call_tool("alpha__delete_notes").result_int(), 200);
}

TEST(DirectModePermissionTest, ToolsListShowsOnlyWhatTheTokenMayCall) {
    AuthProxy proxy;
    const auto reader = proxy.create_token("reader");
    const auto writer = proxy.create_token("writer", {"--permissions", "read,write"});
    const auto admin = proxy.create_token("admin", {"--permissions", "read,write,destructive"});
    proxy.start();
    auto names_for = [&](const std::string& token) {
        McpSession s(proxy.port(), bearer(token));
        EXPECT_EQ(s.initialize().result_int(), 200);
        return tool_names(s.list_tools());
    };
    EXPECT_EQ(names_for(reader), (Names{"alpha__echo", "alpha__slow"}));
    EXPECT_EQ(names_for(writer), (Names{"alpha__echo", "alpha__slow", "alpha__write_note"}));
    EXPECT_EQ(names_for(admin),
              (Names{"alpha__delete_notes", "alpha__echo", "alpha__slow", "alpha__write_note"}));
}

TEST(DirectModePermissionTest, TokenLimitedToOneServerNeitherSeesNorCallsAnother) {
    ProxySettings settings;
    settings.servers = {"alpha", "beta"};
    AuthProxy proxy(settings);
    const auto alpha_only = proxy.create_token("alpha-only", {"--servers", "alpha"});
    const auto everywhere = proxy.create_token("everywhere", {"--servers", "*"});
    proxy.start();

    McpSession all(proxy.port(), bearer(everywhere));
    ASSERT_EQ(all.initialize().result_int(), 200);
    EXPECT_EQ(tool_names(all.list_tools()),
              (Names{"alpha__echo", "alpha__slow", "beta__echo", "beta__slow"}));

    McpSession s(proxy.port(), bearer(alpha_only));
    ASSERT_EQ(s.initialize().result_int(), 200);
    EXPECT_EQ(tool_names(s.list_tools()), (Names{"alpha__echo", "alpha__slow"}));
    EXPECT_EQ(s.call_tool("alpha__echo", {{"text", "a"}}).result_int(), 200);
    // Another server's tool is refused at call time too, and looks like it does not exist.
    const auto r = s.call_tool("beta__echo", {{"text", "b"}});
    const auto rpc = rpc_body(r);
    ASSERT_TRUE(rpc.contains("error")) << rpc.dump();
    EXPECT_EQ(rpc.dump().find("beta__echo is"), std::string::npos);
    const auto unknown = rpc_body(s.call_tool("beta__no_such_tool", {{"text", "b"}}));
    ASSERT_TRUE(unknown.contains("error"));
    EXPECT_EQ(rpc["error"]["code"], unknown["error"]["code"]);

    const auto records = poll_activity(proxy, {"--agent", "alpha-only", "--decision", "denied"},
                                       [](const Json& rs) { return has_denial(rs, "echo"); });
    const Json* denial = find_tool_record(records, "echo");
    ASSERT_NE(denial, nullptr) << records.dump(2);
    EXPECT_EQ(denial->value("server", ""), "beta");
    EXPECT_EQ(denial->value("reason", ""), "server_not_allowed");
}

TEST(RetrieveToolsPermissionTest, CallToolWriteWithAReadTokenIsAToolErrorNamingThePermission) {
    ProxySettings settings;
    settings.routing_mode = "retrieve_tools";
    AuthProxy proxy(settings);
    const auto reader = proxy.create_token("retriever");
    proxy.start();
    McpSession s(proxy.port(), bearer(reader));
    ASSERT_EQ(s.initialize().result_int(), 200);

    const auto read =
        s.call_tool("call_tool_read", {{"name", "alpha:echo"}, {"args", {{"text", "ok"}}}});
    ASSERT_EQ(read.result_int(), 200);
    EXPECT_EQ(result_text(rpc_body(read)), "ok");

    for (const std::string variant : {"call_tool_write", "call_tool_destructive"}) {
        const auto r =
            s.call_tool(variant, {{"name", "alpha:write_note"}, {"args", {{"text", "no"}}}});
        ASSERT_EQ(r.result_int(), 200) << r.body();  // a tool error, not an HTTP or JSON-RPC error
        const auto rpc = rpc_body(r);
        ASSERT_TRUE(rpc.contains("result")) << rpc.dump();
        EXPECT_TRUE(rpc["result"].value("isError", false)) << rpc.dump();
        const auto text = result_text(rpc);
        const std::string needed = variant == "call_tool_write" ? "write" : "destructive";
        EXPECT_NE(text.find(needed + " permission"), std::string::npos) << text;
    }
    const auto records = poll_activity(proxy, {"--agent", "retriever", "--decision", "denied"},
                                       [](const Json& rs) { return rs.size() >= 2; });
    ASSERT_GE(records.size(), 2U) << records.dump(2);
    for (const auto& r : records) {
        EXPECT_EQ(r.value("identity_name", ""), "retriever");
        EXPECT_EQ(r.value("reason", ""), "permission_missing");
    }
}

TEST(RetrieveToolsPermissionTest, RetrieveToolsListsOnlyCallableTools) {
    ProxySettings settings;
    settings.routing_mode = "retrieve_tools";
    settings.servers = {"alpha", "beta"};
    AuthProxy proxy(settings);
    const auto reader = proxy.create_token("alpha-reader", {"--servers", "alpha"});
    proxy.start();
    McpSession s(proxy.port(), bearer(reader));
    ASSERT_EQ(s.initialize().result_int(), 200);
    const auto r =
        s.call_tool("retrieve_tools", {{"query", "echo note delete slow"}, {"limit", 50}});
    ASSERT_EQ(r.result_int(), 200);
    Names found;
    const Json body = rpc_body(r);
    for (const auto& t : body["result"]["structuredContent"]["tools"]) found.push_back(t["name"]);
    std::sort(found.begin(), found.end());
    EXPECT_EQ(found, (Names{"alpha:echo", "alpha:slow"}));
}

}  // namespace
}  // namespace mcpproxy::test::auth
