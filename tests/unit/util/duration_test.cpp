#include "kernel/util/duration.hpp"

#include <gtest/gtest.h>

namespace mcpproxy::util {
namespace {

using namespace std::chrono_literals;

TEST(FormatDuration, UsesTheLargestUnitThatDividesExactly) {
    EXPECT_EQ(format_duration(std::chrono::hours(24 * 90)), "90d");
    EXPECT_EQ(format_duration(12h), "12h");
    EXPECT_EQ(format_duration(90min), "90m");
    EXPECT_EQ(format_duration(30s), "30s");
    EXPECT_EQ(format_duration(1500ms), "1500ms");
}

TEST(FormatDuration, ReadsBackToTheSameValue) {
    const std::initializer_list<std::chrono::milliseconds> durations{1ms,   999ms,   1000ms, 61s,
                                                                     3600s, 7 * 24h, 0ms};
    for (const auto d : durations) {
        const auto text = format_duration(d);
        EXPECT_EQ(parse_duration(text), d) << text;
    }
}

TEST(WholeUnits, GivesTheCountAndTheUnitsWord) {
    const auto week = whole_units(7 * 24h);
    EXPECT_EQ(week.count, 7);
    EXPECT_EQ(week.word, "day");
    const auto odd = whole_units(90001ms);
    EXPECT_EQ(odd.count, 90001);
    EXPECT_EQ(odd.suffix, "ms");
}

TEST(ParseDuration, StillRejectsUnknownUnitsAndOverflow) {
    EXPECT_EQ(parse_duration("5w"), std::nullopt);
    EXPECT_EQ(parse_duration("d"), std::nullopt);
    EXPECT_EQ(parse_duration("99999999999999999999d"), std::nullopt);
    EXPECT_EQ(parse_duration("250ms"), 250ms);
}

}  // namespace
}  // namespace mcpproxy::util
