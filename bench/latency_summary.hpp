#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

namespace bench {

struct LatencySummary {
    double p50_us = 0;
    double p90_us = 0;
    double p99_us = 0;
    double max_us = 0;
    double mean_us = 0;
};

// Nearest-rank percentiles of latencies given in nanoseconds (the vector gets sorted).
inline LatencySummary summarize_latencies(std::vector<std::uint64_t>& nanoseconds) {
    LatencySummary summary;
    if (nanoseconds.empty()) return summary;
    std::sort(nanoseconds.begin(), nanoseconds.end());
    const auto n = nanoseconds.size();
    auto at = [&](double fraction) {
        const auto rank = static_cast<std::size_t>(std::ceil(fraction * static_cast<double>(n)));
        return static_cast<double>(nanoseconds[std::clamp<std::size_t>(rank, 1, n) - 1]) / 1000.0;
    };
    summary.p50_us = at(0.50);
    summary.p90_us = at(0.90);
    summary.p99_us = at(0.99);
    summary.max_us = static_cast<double>(nanoseconds.back()) / 1000.0;
    double total = 0;
    for (const auto ns : nanoseconds) total += static_cast<double>(ns);
    summary.mean_us = total / static_cast<double>(n) / 1000.0;
    return summary;
}

}  // namespace bench
