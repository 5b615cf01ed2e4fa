#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <initializer_list>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>

namespace mcpproxy::metrics {

using Label = std::pair<std::string_view, std::string_view>;
using Labels = std::initializer_list<Label>;

// Counters and histograms with labels, rendered in the Prometheus text format. Updates take a
// short lock to find the series and then touch atomics; a scrape renders everything. An update
// of an existing series allocates nothing (it runs once per MCP request).
class Registry {
public:
    void add(std::string_view name, Labels labels, std::uint64_t delta = 1);
    void observe(std::string_view name, Labels labels, double seconds);
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
    // `name{a="b",...}` into a buffer of the calling thread, reused from call to call.
    static const std::string& key(std::string_view name, Labels labels);

    mutable std::mutex mutex_;
    std::map<std::string, std::pair<std::string, std::string>> help_;  // name -> (type, help)
    std::map<std::string, std::unique_ptr<std::atomic<std::uint64_t>>, std::less<>>
        counters_;  // key -> value
    std::map<std::string, std::unique_ptr<Histogram>, std::less<>> histograms_;
};

// Escapes a label value for the text format.
std::string escape_label(std::string_view value);

}  // namespace mcpproxy::metrics
