#include "mcpproxy/tunnel_common/status_keeper.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace mcpproxy::tunnel_common {
namespace {

struct Recorder : sdk::TunnelEvents {
    std::vector<sdk::TunnelStatus> seen;
    void status_changed(const sdk::TunnelStatus& s) override { seen.push_back(s); }
};

TEST(StatusKeeper, ReportsOnlyChanges) {
    StatusKeeper keeper;
    Recorder events;
    keeper.attach(&events);
    keeper.set_state(sdk::TunnelState::starting);
    keeper.set_state(sdk::TunnelState::starting);
    keeper.set_public_url("https://a.trycloudflare.com");
    keeper.set_public_url("https://a.trycloudflare.com");
    keeper.set_state(sdk::TunnelState::ready);
    keeper.set_restarts(0);
    ASSERT_EQ(events.seen.size(), 3U);
    EXPECT_EQ(events.seen[0].state, sdk::TunnelState::starting);
    EXPECT_EQ(events.seen[1].public_url, "https://a.trycloudflare.com");
    EXPECT_EQ(events.seen[2].state, sdk::TunnelState::ready);
    EXPECT_EQ(events.seen[2].public_url, "https://a.trycloudflare.com");
    keeper.attach(nullptr);
    keeper.set_state(sdk::TunnelState::stopped);
    EXPECT_EQ(events.seen.size(), 3U);
    EXPECT_EQ(keeper.get().state, sdk::TunnelState::stopped);
}

TEST(StatusKeeper, DetailChangeIsAChange) {
    StatusKeeper keeper;
    Recorder events;
    keeper.attach(&events);
    keeper.set_state(sdk::TunnelState::degraded, "0 connections");
    keeper.set_state(sdk::TunnelState::degraded, "1 connection lost");
    EXPECT_EQ(events.seen.size(), 2U);
}

}  // namespace
}  // namespace mcpproxy::tunnel_common
