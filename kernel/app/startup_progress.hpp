#pragma once

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "kernel/upstream/upstream_manager.hpp"

namespace mcpproxy::app {

// How the start of the upstream servers goes, in a few lines rather than one per server:
//  - live (a person at a terminal): at most one line a second while servers come up (every five
//    seconds while none does, e.g. one hangs), beginning after the first second ("starting
//    upstreams: 12/50 ready, 1 failed, 37 still starting (a, b, c, +34) after 2.0 s");
//  - always: one summary once every enabled server has been tried, with the slowest ready ones and
//    why the others are not ready ("upstreams started in 4.2 s: 48 ready, 2 failed; slowest: a 3.9
//    s, b 3.1 s, c 2.2 s; failed: x (why), y (why)").
// The caller polls update() and prints what it returns; not thread-safe.
class StartupProgress {
public:
    using Clock = std::chrono::steady_clock;

    StartupProgress(bool live, Clock::time_point started);

    // `settled`: every enabled upstream has been tried once (UpstreamManager::settled()).
    std::vector<std::string> update(const std::vector<upstream::UpstreamStatus>& status,
                                    bool settled, Clock::time_point now);
    [[nodiscard]] bool done() const { return done_; }

private:
    std::string live_line(const std::vector<upstream::UpstreamStatus>& status,
                          Clock::time_point now) const;
    std::string summary(const std::vector<upstream::UpstreamStatus>& status,
                        Clock::time_point now) const;

    bool live_;
    Clock::time_point started_;
    Clock::time_point last_line_;
    std::size_t outcomes_at_last_line_ = 0;  // took_.size() when the last live line was printed
    bool done_ = false;
    std::map<std::string, Clock::duration> took_;  // server -> time to its first outcome
};

}  // namespace mcpproxy::app
