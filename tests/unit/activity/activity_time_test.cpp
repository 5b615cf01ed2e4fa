#include "kernel/activity/activity_time.hpp"

#include <gtest/gtest.h>

#include "kernel/activity/activity_query.hpp"

namespace mcpproxy::activity {
namespace {

using namespace std::chrono;
using namespace std::chrono_literals;

system_clock::time_point utc(int y, unsigned mo, unsigned d, int h = 0, int mi = 0, int s = 0) {
    return sys_days{year{y} / month{mo} / day{d}} + hours(h) + minutes(mi) + seconds(s);
}

const system_clock::time_point kNow = utc(2024, 5, 1, 12, 0, 0);

TEST(ParseSince, AgesCountBackFromNow) {
    EXPECT_EQ(parse_since("30m", kNow), kNow - 30min);
    EXPECT_EQ(parse_since("1h", kNow), kNow - 1h);
    EXPECT_EQ(parse_since("7d", kNow), kNow - days(7));
    EXPECT_EQ(parse_since("45s", kNow), kNow - 45s);
    EXPECT_EQ(parse_since("2w", kNow), kNow - weeks(2));
    EXPECT_EQ(parse_since("1h30m", kNow), kNow - 90min);
    EXPECT_EQ(parse_since("0s", kNow), kNow);
}

TEST(ParseSince, AnAgeBeyondTheEpochMeansEverything) {
    EXPECT_EQ(parse_since("999999999w", kNow), system_clock::time_point{});
}

TEST(ParseSince, AcceptsRfc3339Times) {
    EXPECT_EQ(parse_since("2024-04-30T08:15:00Z", kNow), utc(2024, 4, 30, 8, 15));
    EXPECT_EQ(parse_since("2024-04-30t08:15:00z", kNow), utc(2024, 4, 30, 8, 15));
    EXPECT_EQ(parse_since("2024-04-30 08:15:00Z", kNow), utc(2024, 4, 30, 8, 15));
    EXPECT_EQ(parse_since("2024-04-30T10:15:00+02:00", kNow), utc(2024, 4, 30, 8, 15));
    EXPECT_EQ(parse_since("2024-04-30T03:45:00-04:30", kNow), utc(2024, 4, 30, 8, 15));
    EXPECT_EQ(parse_since("2024-04-30T08:15:00.250Z", kNow), utc(2024, 4, 30, 8, 15) + 250ms);
    EXPECT_EQ(parse_since("2024-04-30T08:15:00.000001Z", kNow), utc(2024, 4, 30, 8, 15) + 1us);
    EXPECT_EQ(parse_since("2024-02-29", kNow), utc(2024, 2, 29));
    EXPECT_EQ(parse_since("2016-12-31T23:59:60Z", kNow), utc(2017, 1, 1));  // leap second
}

TEST(ParseSince, RejectsEverythingElseWithAHelpfulMessage) {
    for (const char* bad : {"",
                            "h",
                            "1",
                            "1x",
                            "-1h",
                            "1.5h",
                            "1h ",
                            " 1h",
                            "1H",
                            "10000000000s",
                            "yesterday",
                            "2024-05-01T12:00:00",
                            "2024-13-01T00:00:00Z",
                            "2023-02-29T00:00:00Z",
                            "2024-05-01T24:00:00Z",
                            "2024-05-01T12:60:00Z",
                            "2024-05-01T12:00:00+24:00",
                            "2024-05-01T12:00:00.Z",
                            "2024-5-01",
                            "2024-05-01T12:00Z",
                            "2024-05-01T12:00:00Zjunk"}) {
        try {
            parse_since(bad, kNow);
            ADD_FAILURE() << "accepted \"" << bad << "\"";
        } catch (const std::invalid_argument& e) {
            EXPECT_NE(std::string(e.what()).find("--since"), std::string::npos);
            EXPECT_NE(std::string(e.what()).find("7d"), std::string::npos);
        }
    }
}

TEST(FormatRfc3339, WritesUtcWithTheRequestedFraction) {
    const auto t = utc(2024, 5, 1, 9, 8, 7) + 123456us;
    EXPECT_EQ(format_rfc3339(t, 0), "2024-05-01T09:08:07Z");
    EXPECT_EQ(format_rfc3339(t, 3), "2024-05-01T09:08:07.123Z");
    EXPECT_EQ(format_rfc3339(t, 6), "2024-05-01T09:08:07.123456Z");
    EXPECT_EQ(format_rfc3339(utc(1969, 12, 31, 23, 59, 59) + 500ms, 3), "1969-12-31T23:59:59.500Z");
    EXPECT_EQ(parse_rfc3339(format_rfc3339(t, 6)), t);
}

}  // namespace
}  // namespace mcpproxy::activity
