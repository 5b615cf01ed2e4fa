#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace mcpproxy::metrics {

using Labels = std::vector<std::pair<std::string, std::string>>;

// Counters and histograms with labels, rendered in the Prometheus text format. Updates take a
// short lock to find the series and then touch atomics; a scrape renders everything.
class Registry {
public:
    void add(const std::string& name, const Labels& labels, std::uint64_t delta = 1);
    void observe(const std::string& name, const Labels& labels, double seconds);
    void describe(const std::string& name, const std::string& type, const std::string& help);

    // Renders every series, plus extra (already formatted) gauge lines appended by the caller.
    [[nodiscard]] std::string render() const;

    static constexpr std::array<double, 12> kBuckets{0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005,
                                                     0.01,   0.025,   0.05,   0.1,   0.5,    2.5};

private:
    struct Histogram {
        std::array<std::atomic<std::uint64_t>, kBuckets.size() + 1> counts{};
        std::atomic<std::uint64_t> sum_micros{0};
    };
    static std::string key(const std::string& name, const Labels& labels);

    mutable std::mutex mutex_;
    std::map<std::string, std::pair<std::string, std::string>> help_;  // name -> (type, help)
    std::map<std::string, std::unique_ptr<std::atomic<std::uint64_t>>> counters_;  // key -> value
    std::map<std::string, std::unique_ptr<Histogram>> histograms_;
};

// Escapes a label value for the text format.
std::string escape_label(const std::string& value);
std::string format_labels(const Labels& labels);

}  // namespace mcpproxy::metrics
