// The proxy as a systemd service, against the real binary: readiness and stopping through a fake
// $NOTIFY_SOCKET, and SIGHUP re-reading the config (upstreams added and removed, log level,
// activity log limits, a broken file changing nothing).
#include <gtest/gtest.h>

#include <csignal>
#include <filesystem>
#include <fstream>

#include "kernel/activity/sqlite_activity_store.hpp"
#include "tests/integration/mcp/mcp_http.hpp"
#include "tests/integration/mcp/mcp_proxy.hpp"
#include "tests/integration/service/notify_socket.hpp"
#include "tests/support/proxy_process.hpp"
#include "tests/support/raw_http.hpp"
#include "tests/support/temp_dir.hpp"

namespace mcpproxy::test {
namespace {
namespace http = boost::beast::http;
using namespace std::chrono_literals;

std::string config_with(const std::vector<std::string>& upstreams,
                        const std::string& level = "info") {
    nlohmann::json servers = nlohmann::json::array();
    for (const auto& name : upstreams) {
        servers.push_back({{"name", name}, {"command", stdio_upstream_binary()}, {"args", {name}}});
    }
    nlohmann::json config{{"listen", "127.0.0.1:0"},
                          {"shutdown_timeout", "5s"},
                          {"routing_mode", "direct"},
                          {"log_level", level},
                          {"mcpServers", servers}};
    return config.dump(2);
}

std::set<std::string> tool_names(unsigned short port) {
    McpSession session(port);
    const auto reply = session.request("tools/list");
    std::set<std::string> names;
    for (const auto& t : reply.last()["result"]["tools"])
        names.insert(t["name"].get<std::string>());
    return names;
}

int healthz(unsigned short port) {
    return http_request(port, http::verb::get, "/healthz", {}, {}, 2s).result_int();
}

class ServiceTest : public ::testing::Test {
protected:
    TempDir dir;
    NotifySocket notify{dir / "notify.sock"};

    std::unique_ptr<ProxyProcess> start(const std::vector<std::string>& upstreams) {
        dir.write("config.json", config_with(upstreams));
        auto proxy = std::make_unique<ProxyProcess>(
            std::vector<std::string>{"--config", (dir / "config.json").string()}, dir.path(),
            std::vector<std::string>{"NOTIFY_SOCKET=" + notify.path().string()});
        return proxy;
    }
};

TEST_F(ServiceTest, ReadyOnlyWhenHealthzIsOkAndStoppingOnTerm) {
    auto proxy = start({"alpha"});
    ASSERT_TRUE(proxy->started()) << proxy->log();
    ASSERT_TRUE(notify.wait_for("READY=1", 20s)) << proxy->log();
    EXPECT_EQ(healthz(proxy->port()), 200);
    EXPECT_EQ(proxy->stop(), 0);
    EXPECT_TRUE(notify.wait_for("STOPPING=1", 2s));
}

TEST_F(ServiceTest, NoNotifySocketNoMessages) {
    dir.write("config.json", config_with({}));
    ProxyProcess proxy({"--config", (dir / "config.json").string()}, dir.path());
    ASSERT_TRUE(proxy.started()) << proxy.log();
    ASSERT_TRUE(eventually([&] { return healthz(proxy.port()) == 200; }, 10s));
    EXPECT_FALSE(notify.receive(300ms).has_value());
}

TEST_F(ServiceTest, SighupAddsAndRemovesUpstreamsAndChangesTheLogLevel) {
    auto proxy = start({"alpha"});
    ASSERT_TRUE(proxy->started()) << proxy->log();
    ASSERT_TRUE(notify.wait_for("READY=1", 20s)) << proxy->log();
    ASSERT_TRUE(tool_names(proxy->port()).contains("alpha__whoami"));

    dir.write("config.json", config_with({"beta"}, "debug"));
    ASSERT_EQ(::kill(proxy->pid(), SIGHUP), 0);
    ASSERT_TRUE(notify.wait_for("RELOADING=1", 5s)) << proxy->log();
    ASSERT_TRUE(notify.wait_for("READY=1", 5s)) << proxy->log();
    EXPECT_TRUE(eventually(
        [&] {
            const auto names = tool_names(proxy->port());
            return names.contains("beta__whoami") && !names.contains("alpha__whoami");
        },
        10s))
        << proxy->log();
    McpSession session(proxy->port());
    EXPECT_EQ(first_text(session.call_tool("beta__whoami")["result"]), "beta");
    EXPECT_NE(proxy->log().find("config reloaded: 1 server(s) added, 1 removed"), std::string::npos)
        << proxy->log();
    // Debug lines appear only once the new level applies.
    EXPECT_TRUE(eventually([&] { return proxy->log().find(" debug [") != std::string::npos; }, 5s))
        << proxy->log();
    EXPECT_EQ(proxy->stop(), 0);
}

TEST_F(ServiceTest, SighupWithABrokenConfigKeepsServing) {
    auto proxy = start({"alpha"});
    ASSERT_TRUE(proxy->started()) << proxy->log();
    ASSERT_TRUE(notify.wait_for("READY=1", 20s)) << proxy->log();
    dir.write("config.json", "{\"mcpServers\": [");
    ASSERT_EQ(::kill(proxy->pid(), SIGHUP), 0);
    ASSERT_TRUE(notify.wait_for("READY=1", 5s)) << proxy->log();
    EXPECT_NE(proxy->log().find("config reload failed, nothing changed"), std::string::npos)
        << proxy->log();
    EXPECT_TRUE(tool_names(proxy->port()).contains("alpha__whoami"));
    EXPECT_EQ(healthz(proxy->port()), 200);
}

TEST_F(ServiceTest, SighupReportsWhatNeedsARestart) {
    auto proxy = start({});
    ASSERT_TRUE(proxy->started()) << proxy->log();
    ASSERT_TRUE(notify.wait_for("READY=1", 20s)) << proxy->log();
    auto changed = nlohmann::json::parse(config_with({}));
    changed["top_k"] = 3;
    dir.write("config.json", changed.dump());
    ASSERT_EQ(::kill(proxy->pid(), SIGHUP), 0);
    ASSERT_TRUE(notify.wait_for("READY=1", 5s));
    EXPECT_TRUE(eventually(
        [&] {
            return proxy->log().find("changes to top_k take effect only after a restart") !=
                   std::string::npos;
        },
        2s))
        << proxy->log();
}

TEST_F(ServiceTest, SighupAppliesNewActivityLimits) {
    const auto data_dir = dir / "data";
    std::filesystem::create_directories(data_dir);
    std::filesystem::permissions(data_dir, std::filesystem::perms::owner_all);
    {
        activity::SqliteActivityStore store(data_dir);
        std::vector<activity::ActivityRecord> two_days_old(300);
        for (std::size_t i = 0; i < two_days_old.size(); ++i) {
            two_days_old[i].time = std::chrono::system_clock::now() - 48h;
            two_days_old[i].request_id = "old-" + std::to_string(i);
            two_days_old[i].method = "tools/list";
        }
        store.insert_batch(two_days_old);
    }
    auto proxy = start({});
    ASSERT_TRUE(proxy->started()) << proxy->log();
    ASSERT_TRUE(notify.wait_for("READY=1", 20s)) << proxy->log();
    auto changed = nlohmann::json::parse(config_with({}));
    changed["activity"] = {{"retention", "1d"}, {"max_size", "500MB"}};
    dir.write("config.json", changed.dump());
    ASSERT_EQ(::kill(proxy->pid(), SIGHUP), 0);
    ASSERT_TRUE(notify.wait_for("READY=1", 5s)) << proxy->log();
    EXPECT_TRUE(eventually(
        [&] {
            return proxy->log().find(
                       "activity log retention deleted 300 records older than 1 day") !=
                   std::string::npos;
        },
        5s))
        << proxy->log();
    const auto log = proxy->log();
    EXPECT_NE(log.find("config reload: activity log retention 1d, max_size 500.0 MB"),
              std::string::npos)
        << log;
    EXPECT_EQ(log.find("take effect only after a restart"), std::string::npos) << log;
}

}  // namespace
}  // namespace mcpproxy::test
