// The start-up progress of many upstreams: a live line at most once a second on a terminal, one
// summary line everywhere, with timings, the slowest servers and why some are not ready.
#include "kernel/app/startup_progress.hpp"

#include <gtest/gtest.h>

namespace mcpproxy::app {
namespace {

using namespace std::chrono_literals;
using upstream::UpstreamState;
using upstream::UpstreamStatus;
using Clock = StartupProgress::Clock;

std::vector<UpstreamStatus> fifty_connecting() {
    std::vector<UpstreamStatus> out;
    for (int i = 0; i < 50; ++i) {
        UpstreamStatus s;
        s.name = "s" + std::to_string(i);
        s.state = UpstreamState::connecting;
        out.push_back(s);
    }
    return out;
}

TEST(StartupProgress, LiveLinesAtMostOnceASecondThenOneSummary) {
    const auto t0 = Clock::now();
    StartupProgress progress(true, t0);
    auto status = fifty_connecting();
    std::vector<std::string> lines;
    // 50 servers coming up over 3 s, polled every 100 ms as the server's housekeeping does.
    for (int tick = 1; tick <= 30; ++tick) {
        const int ready_now = tick * 49 / 30;  // s49 never comes up
        for (int i = 0; i < ready_now; ++i) status[i].state = UpstreamState::ready;
        if (tick == 5) {
            status[49].state = UpstreamState::failed;
            status[49].last_error = "cannot start no-such-server: not found on PATH";
        }
        for (auto& l : progress.update(status, tick == 30, t0 + tick * 100ms)) lines.push_back(l);
    }
    ASSERT_EQ(lines.size(), 3U) << ::testing::PrintToString(lines);
    EXPECT_EQ(lines[0],
              "starting upstreams: 16/50 ready, 1 failed, 33 still starting (s16, s17, "
              "s18, +30) after 1.0 s");
    EXPECT_EQ(lines[1].substr(0, 34), "starting upstreams: 32/50 ready, 1");
    EXPECT_TRUE(progress.done());
    EXPECT_EQ(lines[2],
              "upstreams started in 3.0 s: 49 ready, 1 failed; slowest: s47 3.0 s, s48 3.0 s, "
              "s45 2.9 s; not ready: s49 (cannot start no-such-server: not found on PATH)");
    EXPECT_TRUE(progress.update(status, true, t0 + 4s).empty());
}

TEST(StartupProgress, AHangingServerGetsALineEveryFiveSecondsNotEverySecond) {
    const auto t0 = Clock::now();
    StartupProgress progress(true, t0);
    std::vector<UpstreamStatus> status(2);
    status[0].name = "quick";
    status[0].state = UpstreamState::ready;
    status[1].name = "hangs";
    std::vector<std::string> lines;
    for (int tick = 1; tick <= 120; ++tick) {  // 12 s
        for (auto& l : progress.update(status, false, t0 + tick * 100ms)) lines.push_back(l);
    }
    ASSERT_EQ(lines.size(), 3U) << ::testing::PrintToString(lines);
    EXPECT_EQ(lines[0], "starting upstreams: 1/2 ready, 1 still starting (hangs) after 1.0 s");
    EXPECT_NE(lines[1].find("after 6.0 s"), std::string::npos) << lines[1];
    EXPECT_NE(lines[2].find("after 11.0 s"), std::string::npos) << lines[2];
}

TEST(StartupProgress, NotLiveOnlyTheSummary) {
    const auto t0 = Clock::now();
    StartupProgress progress(false, t0);
    auto status = fifty_connecting();
    for (int tick = 1; tick < 40; ++tick)
        EXPECT_TRUE(progress.update(status, false, t0 + tick * 100ms).empty());
    for (auto& s : status) s.state = UpstreamState::ready;
    const auto lines = progress.update(status, true, t0 + 4s);
    ASSERT_EQ(lines.size(), 1U);
    EXPECT_EQ(lines[0].substr(0, 41), "upstreams started in 4.0 s: 50 ready; slo");
}

TEST(StartupProgress, FastStartsPrintNoLiveLine) {
    const auto t0 = Clock::now();
    StartupProgress progress(true, t0);
    std::vector<UpstreamStatus> status(2);
    status[0].name = "alpha";
    status[1].name = "beta";
    EXPECT_TRUE(progress.update(status, false, t0 + 100ms).empty());
    status[0].state = UpstreamState::ready;
    status[1].state = UpstreamState::connecting;  // failed between two polls, now retrying
    status[1].last_error = "connection refused";
    const auto lines = progress.update(status, true, t0 + 300ms);
    ASSERT_EQ(lines.size(), 1U);
    EXPECT_EQ(lines[0],
              "upstreams started in 0.3 s: 1 ready, 1 retrying; slowest: alpha 0.3 s; not ready: "
              "beta (connection refused)");
}

TEST(StartupProgress, DisabledServersAreLeftOutAndNoneMeansNoLine) {
    const auto t0 = Clock::now();
    StartupProgress progress(true, t0);
    std::vector<UpstreamStatus> status(1);
    status[0].name = "off";
    status[0].state = UpstreamState::disabled;
    EXPECT_TRUE(progress.update(status, true, t0 + 2s).empty());
    EXPECT_TRUE(progress.done());
}

}  // namespace
}  // namespace mcpproxy::app
