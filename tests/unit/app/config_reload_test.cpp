#include "kernel/app/config_reload.hpp"

#include <gtest/gtest.h>

#include "kernel/config/config_loader.hpp"

namespace mcpproxy::app {
namespace {

config::Config parse(const std::string& text) {
    return config::parse_config(nlohmann::json::parse(text), "t.json");
}

const char* kBase = R"({"log_level": "info", "mcpServers": [
    {"name": "a", "command": "a-server", "env": {"TOKEN": "one"}},
    {"name": "b", "command": "b-server", "quarantined": true},
    {"name": "c", "url": "http://127.0.0.1:9/mcp"}]})";

TEST(PlanReload, SameConfigChangesNothing) {
    EXPECT_TRUE(plan_reload(parse(kBase), parse(kBase)).empty());
}

TEST(PlanReload, AddedRemovedAndChangedServers) {
    const auto next = parse(R"({"log_level": "info", "mcpServers": [
        {"name": "a", "command": "a-server", "env": {"TOKEN": "two"}},
        {"name": "b", "command": "b-server", "quarantined": true},
        {"name": "d", "command": "d-server"}]})");
    const auto plan = plan_reload(parse(kBase), next);
    ASSERT_EQ(plan.added.size(), 1U);
    EXPECT_EQ(plan.added[0].name, "d");
    EXPECT_EQ(plan.removed, std::vector<std::string>{"c"});
    ASSERT_EQ(plan.replaced.size(), 1U);  // a secret in env changed: the server restarts
    EXPECT_EQ(plan.replaced[0].name, "a");
    EXPECT_TRUE(plan.needs_restart.empty());
    EXPECT_FALSE(plan.log_changed);
}

TEST(PlanReload, ApprovalAndEnablingDoNotRestartTheServer) {
    const auto next = parse(R"({"log_level": "info", "mcpServers": [
        {"name": "a", "command": "a-server", "env": {"TOKEN": "one"}, "enabled": false},
        {"name": "b", "command": "b-server"},
        {"name": "c", "url": "http://127.0.0.1:9/mcp"}]})");
    const auto plan = plan_reload(parse(kBase), next);
    EXPECT_TRUE(plan.replaced.empty());
    EXPECT_EQ(plan.approved, std::vector<std::string>{"b"});
    ASSERT_EQ(plan.enabled_changed.size(), 1U);
    EXPECT_EQ(plan.enabled_changed[0], (std::pair<std::string, bool>{"a", false}));
}

TEST(PlanReload, QuarantiningAgainRestartsTheServer) {
    const auto next = parse(R"({"log_level": "info", "mcpServers": [
        {"name": "a", "command": "a-server", "env": {"TOKEN": "one"}, "quarantined": true},
        {"name": "b", "command": "b-server", "quarantined": true},
        {"name": "c", "url": "http://127.0.0.1:9/mcp"}]})");
    const auto plan = plan_reload(parse(kBase), next);
    ASSERT_EQ(plan.replaced.size(), 1U);
    EXPECT_TRUE(plan.replaced[0].quarantined);
}

TEST(PlanReload, LogLevelIsReloadable) {
    auto next = parse(kBase);
    next.log_level = "debug";
    const auto plan = plan_reload(parse(kBase), next);
    EXPECT_TRUE(plan.log_changed);
    EXPECT_TRUE(plan.needs_restart.empty());
}

TEST(PlanReload, ListenersPluginsAndAdminKeyNeedARestart) {
    auto next = parse(kBase);
    next.listen = "127.0.0.1:9999";
    next.api_key = "changed";
    next.plugins.push_back({"auth-agent-token", nlohmann::json::object()});
    next.management.enabled = true;
    const auto plan = plan_reload(parse(kBase), next);
    for (const auto* key : {"listen", "api_key", "plugins", "management"}) {
        EXPECT_NE(std::find(plan.needs_restart.begin(), plan.needs_restart.end(), key),
                  plan.needs_restart.end())
            << key;
    }
}

TEST(PlanReload, ActivityLimitsAreReloadable) {
    auto next = parse(kBase);
    next.activity.retention = std::chrono::hours(12);
    next.activity.max_size = 0;
    const auto plan = plan_reload(parse(kBase), next);
    EXPECT_TRUE(plan.activity_changed);
    EXPECT_TRUE(plan.needs_restart.empty());
    EXPECT_FALSE(plan.empty());
}

// No upstream changes, so the reloader never touches its (absent) upstream manager.
ConfigReloader reloader_for(boost::asio::io_context& io, const config::Config& next,
                            std::function<void(const config::ActivityConfig&)> activity) {
    ConfigReloader::Hooks hooks;
    hooks.load = [next] { return next; };
    hooks.activity = std::move(activity);
    return ConfigReloader(io, parse(kBase), nullptr, std::move(hooks));
}

TEST(ConfigReloader, AppliesNewActivityLimitsOnce) {
    boost::asio::io_context io;
    auto next = parse(kBase);
    next.activity.retention = std::chrono::hours(36);
    next.activity.max_size = 500'000'000;
    std::vector<config::ActivityConfig> applied;
    auto reloader =
        reloader_for(io, next, [&](const config::ActivityConfig& a) { applied.push_back(a); });
    EXPECT_TRUE(reloader.reload().activity_changed);
    ASSERT_EQ(applied.size(), 1U);
    EXPECT_EQ(applied[0].retention, std::chrono::hours(36));
    EXPECT_EQ(applied[0].max_size, 500'000'000U);
    EXPECT_TRUE(reloader.reload().empty());  // now applied: nothing left to change
    EXPECT_EQ(applied.size(), 1U);
}

TEST(ConfigReloader, WithoutAnActivityHookTheLimitsNeedARestart) {
    boost::asio::io_context io;
    auto next = parse(kBase);
    next.activity.max_size = 0;
    auto reloader = reloader_for(io, next, nullptr);
    const auto plan = reloader.reload();
    EXPECT_FALSE(plan.activity_changed);
    EXPECT_EQ(plan.needs_restart, std::vector<std::string>{"activity"});
    EXPECT_EQ(reloader.reload().needs_restart, std::vector<std::string>{"activity"});
}

}  // namespace
}  // namespace mcpproxy::app
