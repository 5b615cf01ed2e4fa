#include <gtest/gtest.h>

#include "kernel/mgmt/route_request.hpp"

using mcpproxy::mgmt::parse_query;
using Query = std::map<std::string, std::string, std::less<>>;

TEST(ParseQuery, SplitsAndDecodesFormStyle) {
    EXPECT_EQ(parse_query("agent=ci&limit=10"), (Query{{"agent", "ci"}, {"limit", "10"}}));
    EXPECT_EQ(parse_query("q=read+file&x=%2B%41%e2%82%ac"),
              (Query{{"q", "read file"}, {"x", "+A\xe2\x82\xac"}}));
    EXPECT_EQ(parse_query("flag&empty=&=v"), (Query{{"flag", ""}, {"empty", ""}, {"", "v"}}));
    EXPECT_EQ(parse_query(""), Query{});
    EXPECT_EQ(parse_query("&&a=1&"), (Query{{"a", "1"}}));
}

TEST(ParseQuery, TheFirstOfARepeatedKeyWins) {
    EXPECT_EQ(parse_query("a=1&a=2"), (Query{{"a", "1"}}));
}

TEST(ParseQuery, MalformedEscapesAreKeptAsTheyAre) {
    EXPECT_EQ(parse_query("a=100%&b=%zz&c=%4"), (Query{{"a", "100%"}, {"b", "%zz"}, {"c", "%4"}}));
}

TEST(ParseQuery, NeverReadsPastTheQuery) {
    // The query is a view into the request buffer; what follows it must not be read. Boost.URL
    // 1.81 read one byte further and, on a '%', ran off the buffer.
    const std::string buffer = "agent=agent&limit=1000%&z=9";
    EXPECT_EQ(parse_query(std::string_view(buffer).substr(0, 22)),
              (Query{{"agent", "agent"}, {"limit", "1000"}}));
}
