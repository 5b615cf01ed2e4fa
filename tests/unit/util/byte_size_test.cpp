#include "kernel/util/byte_size.hpp"

#include <gtest/gtest.h>

namespace mcpproxy::util {
namespace {

TEST(ByteSize, ParsesDecimalAndBinaryUnits) {
    EXPECT_EQ(parse_byte_size("4096"), 4096u);
    EXPECT_EQ(parse_byte_size("0"), 0u);
    EXPECT_EQ(parse_byte_size("512B"), 512u);
    EXPECT_EQ(parse_byte_size("500MB"), 500'000'000u);
    EXPECT_EQ(parse_byte_size("1GB"), 1'000'000'000u);
    EXPECT_EQ(parse_byte_size("1 GB"), 1'000'000'000u);
    EXPECT_EQ(parse_byte_size("1gb"), 1'000'000'000u);
    EXPECT_EQ(parse_byte_size("2TB"), 2'000'000'000'000u);
    EXPECT_EQ(parse_byte_size("256KiB"), 262'144u);
    EXPECT_EQ(parse_byte_size("1MiB"), 1'048'576u);
    EXPECT_EQ(parse_byte_size("1.5GB"), 1'500'000'000u);
    EXPECT_EQ(parse_byte_size("1GiB"), 1'073'741'824u);
}

TEST(ByteSize, RejectsWhatIsNotASize) {
    for (const char* bad : {"", "GB", "-1GB", "1 G", "1GBs", "1e9", "1  GB", " 1GB", "1PB",
                            "99999999TB", "1,5GB", "nan", "inf"}) {
        EXPECT_FALSE(parse_byte_size(bad)) << bad;
    }
}

TEST(ByteSize, FormatsWithDecimalUnits) {
    EXPECT_EQ(format_byte_size(0), "0 B");
    EXPECT_EQ(format_byte_size(999), "999 B");
    EXPECT_EQ(format_byte_size(262'144), "262.1 KB");
    EXPECT_EQ(format_byte_size(999'999), "1.0 MB");
    EXPECT_EQ(format_byte_size(1'000'000'000), "1.0 GB");
    EXPECT_EQ(format_byte_size(1'070'000'000), "1.1 GB");
}

}  // namespace
}  // namespace mcpproxy::util
