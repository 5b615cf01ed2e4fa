// The activity log keeps every record across a clean stop, and everything older than about a
// second across a SIGKILL, without damaging the database (R-OPS-2).
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <set>
#include <thread>

#include "tests/integration/auth/auth_harness.hpp"

namespace mcpproxy::test::auth {
namespace {

using namespace std::chrono_literals;

constexpr int kCalls = 25;

// Makes n echo calls on a new session; returns their request ids.
std::vector<std::string> make_calls(unsigned short port, const std::string& token, int n) {
    McpSession s(port, bearer(token));
    EXPECT_EQ(s.initialize().result_int(), 200);
    std::vector<std::string> ids;
    for (int i = 0; i < n; ++i) {
        const auto r = s.call_tool("alpha__echo", {{"text", "call " + std::to_string(i)}});
        EXPECT_EQ(r.result_int(), 200) << r.body();
        ids.emplace_back(r["X-Request-Id"]);
    }
    return ids;
}

std::set<std::string> logged_call_ids(const AuthProxy& proxy) {
    std::set<std::string> ids;
    for (const auto& r :
         export_activity(proxy, {"--agent", "durable-agent", "--method", "tools/call"})) {
        EXPECT_EQ(r.value("tool", ""), "echo");
        EXPECT_EQ(r.value("decision", ""), "allowed");
        ids.insert(r.value("request_id", ""));
    }
    return ids;
}

void expect_all_logged(const std::set<std::string>& logged, const std::vector<std::string>& ids,
                       const std::string& when) {
    int missing = 0;
    for (const auto& id : ids) missing += logged.contains(id) ? 0 : 1;
    EXPECT_EQ(missing, 0) << missing << " of " << ids.size() << " calls missing " << when;
}

std::string integrity_check(const std::filesystem::path& file) {
    sqlite3* db = nullptr;
    std::string result = "cannot open";
    if (sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) == SQLITE_OK) {
        sqlite3_stmt* st = nullptr;
        if (sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, nullptr) == SQLITE_OK &&
            sqlite3_step(st) == SQLITE_ROW) {
            result = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
        } else {
            result = sqlite3_errmsg(db);
        }
        sqlite3_finalize(st);
    }
    sqlite3_close(db);
    return result;
}

TEST(ActivityDurabilityTest, CleanStopKeepsAllAndSigkillKeepsEverythingOlderThanASecond) {
    AuthProxy proxy;
    const auto token = proxy.create_token("durable-agent");
    proxy.start();

    const auto first = make_calls(proxy.port(), token, kCalls);
    EXPECT_EQ(proxy.process().stop(), 0) << proxy.log();
    auto logged = logged_call_ids(proxy);
    EXPECT_EQ(logged.size(), static_cast<std::size_t>(kCalls));
    expect_all_logged(logged, first, "after SIGTERM");

    proxy.start();
    const auto second = make_calls(proxy.port(), token, kCalls);
    std::this_thread::sleep_for(1500ms);
    proxy.process().kill_now();
    logged = logged_call_ids(proxy);
    EXPECT_EQ(logged.size(), static_cast<std::size_t>(2 * kCalls));
    expect_all_logged(logged, first, "after SIGKILL (first batch)");
    expect_all_logged(logged, second, "after SIGKILL (second batch)");

    // The killed database is intact and the proxy carries on with it.
    EXPECT_EQ(integrity_check(std::filesystem::path(proxy.data_dir()) / "activity.db"), "ok");
    proxy.start();
    const auto third = make_calls(proxy.port(), token, 1);
    EXPECT_EQ(proxy.process().stop(), 0) << proxy.log();
    logged = logged_call_ids(proxy);
    EXPECT_EQ(logged.size(), static_cast<std::size_t>(2 * kCalls + 1));
    expect_all_logged(logged, third, "after the restart");
    const auto list = proxy.cli({"activity", "list", "--agent", "durable-agent"});
    EXPECT_EQ(list.exit_code, 0) << list.err;
}

TEST(ActivityDurabilityTest, ActivityListWorksWhileTheProxyRuns) {
    AuthProxy proxy;
    const auto token = proxy.create_token("durable-agent");
    proxy.start();
    const auto ids = make_calls(proxy.port(), token, 5);
    const auto records = poll_activity(
        proxy, {"--agent", "durable-agent", "--method", "tools/call", "--since", "1h"},
        [](const Json& rs) { return rs.size() >= 5; }, 3s);
    ASSERT_EQ(records.size(), 5U) << records.dump(2);
    // Newest first.
    EXPECT_EQ(records[0].value("request_id", ""), ids.back());
    EXPECT_EQ(records[4].value("request_id", ""), ids.front());
    for (const auto& r : records) {
        EXPECT_EQ(r.value("server", ""), "alpha");
        EXPECT_EQ(r.value("http_status", 0), 200);
        EXPECT_TRUE(r["jsonrpc_error"].is_null());
        EXPECT_GT(r.value("bytes_in", 0), 0);
        EXPECT_GT(r.value("bytes_out", 0), 0);
    }
}

}  // namespace
}  // namespace mcpproxy::test::auth
