#include "kernel/app/startup_progress.hpp"

#include <algorithm>
#include <cstdio>

namespace mcpproxy::app {
namespace {

using upstream::UpstreamState;
using upstream::UpstreamStatus;

constexpr std::chrono::seconds kLiveInterval{1};   // while servers come up
constexpr std::chrono::seconds kQuietInterval{5};  // while nothing changes (a server hangs)
constexpr std::size_t kNamesShown = 3;
constexpr std::size_t kFailuresShown = 5;

bool counted(const UpstreamStatus& s) {
    return s.state != UpstreamState::disabled && s.state != UpstreamState::stopped;
}

std::string seconds(std::chrono::steady_clock::duration d) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f s",
                  std::chrono::duration_cast<std::chrono::duration<double>>(d).count());
    return buf;
}

// "a, b, c, +34"
std::string some_names(const std::vector<std::string>& names, std::size_t shown) {
    std::string out;
    for (std::size_t i = 0; i < names.size() && i < shown; ++i)
        out += (i == 0 ? "" : ", ") + names[i];
    if (names.size() > shown) out += ", +" + std::to_string(names.size() - shown);
    return out;
}

std::string first_line(const std::string& text) {
    auto line = text.substr(0, text.find('\n'));
    if (line.size() > 120) line = line.substr(0, 117) + "...";
    return line;
}

// "48 ready, 2 failed, 1 login_needed" in a fixed order: ready, failed, then the rest by name.
std::string outcome_counts(const std::vector<UpstreamStatus>& status) {
    std::map<std::string, std::size_t> by_state;
    for (const auto& s : status) {
        if (counted(s) && s.state != UpstreamState::connecting)
            ++by_state[std::string(to_string(s.state))];
    }
    std::string out = std::to_string(by_state["ready"]) + " ready";
    if (by_state["failed"] != 0) out += ", " + std::to_string(by_state["failed"]) + " failed";
    for (const auto& [state, n] : by_state) {
        if (state != "ready" && state != "failed" && n != 0)
            out += ", " + std::to_string(n) + " " + state;
    }
    return out;
}

}  // namespace

StartupProgress::StartupProgress(bool live, Clock::time_point started)
    : live_(live), started_(started), last_line_(started) {}

std::vector<std::string> StartupProgress::update(const std::vector<UpstreamStatus>& status,
                                                 bool settled, Clock::time_point now) {
    std::vector<std::string> lines;
    if (done_) return lines;
    for (const auto& s : status) {
        if (counted(s) && s.state != UpstreamState::connecting && !took_.contains(s.name))
            took_[s.name] = now - started_;
    }
    const bool any = std::any_of(status.begin(), status.end(), counted);
    if (settled) {
        done_ = true;
        if (any) lines.push_back(summary(status, now));
        return lines;
    }
    if (live_ && any) {
        const bool changed = took_.size() != outcomes_at_last_line_;
        const auto since = now - last_line_;
        if ((changed && since >= kLiveInterval) || since >= kQuietInterval) {
            last_line_ = now;
            outcomes_at_last_line_ = took_.size();
            lines.push_back(live_line(status, now));
        }
    }
    return lines;
}

std::string StartupProgress::live_line(const std::vector<UpstreamStatus>& status,
                                       Clock::time_point now) const {
    std::size_t total = 0;
    std::vector<std::string> waiting;
    for (const auto& s : status) {
        if (!counted(s)) continue;
        ++total;
        if (s.state == UpstreamState::connecting && !took_.contains(s.name))
            waiting.push_back(s.name);
    }
    std::size_t ready = 0;
    for (const auto& s : status) ready += s.state == UpstreamState::ready ? 1 : 0;
    std::string line =
        "starting upstreams: " + std::to_string(ready) + "/" + std::to_string(total) + " ready";
    const auto outcomes = outcome_counts(status);
    if (const auto comma = outcomes.find(", "); comma != std::string::npos)
        line += outcomes.substr(comma);
    line += ", " + std::to_string(waiting.size()) + " still starting";
    if (!waiting.empty()) line += " (" + some_names(waiting, kNamesShown) + ")";
    return line + " after " + seconds(now - started_);
}

std::string StartupProgress::summary(const std::vector<UpstreamStatus>& status,
                                     Clock::time_point now) const {
    std::string line =
        "upstreams started in " + seconds(now - started_) + ": " + outcome_counts(status);
    // Tried once and already trying again (failed between two polls).
    const auto retrying = std::count_if(status.begin(), status.end(), [](const auto& s) {
        return s.state == UpstreamState::connecting;
    });
    if (retrying != 0) line += ", " + std::to_string(retrying) + " retrying";
    std::vector<std::pair<Clock::duration, std::string>> times;  // of the ready ones
    for (const auto& s : status) {
        if (s.state != UpstreamState::ready) continue;
        if (const auto at = took_.find(s.name); at != took_.end())
            times.emplace_back(at->second, s.name);
    }
    std::sort(times.begin(), times.end(), [](const auto& a, const auto& b) {
        return a.first != b.first ? a.first > b.first : a.second < b.second;
    });
    if (!times.empty()) {
        line += "; slowest: ";
        for (std::size_t i = 0; i < times.size() && i < kNamesShown; ++i)
            line += (i == 0 ? "" : ", ") + times[i].second + " " + seconds(times[i].first);
    }
    std::vector<std::string> failed;
    for (const auto& s : status) {
        if (counted(s) && s.state != UpstreamState::ready) {
            failed.push_back(s.name + (s.last_error.empty()
                                           ? std::string()
                                           : " (" + first_line(s.last_error) + ")"));
        }
    }
    if (!failed.empty()) line += "; not ready: " + some_names(failed, kFailuresShown);
    return line;
}

}  // namespace mcpproxy::app
