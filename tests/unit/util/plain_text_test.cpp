#include "kernel/util/plain_text.hpp"

#include <gtest/gtest.h>

namespace mcpproxy::util {
namespace {

TEST(PlainText, KeepsValidTextAndReplacesWhatIsNot) {
    EXPECT_EQ(plain_text("cloudflared exited: ok", 100), "cloudflared exited: ok");
    EXPECT_EQ(plain_text("gr\xC3\xBC\xC3\x9F \xE2\x9C\x93 \xF0\x9F\x98\x80", 100),
              "gr\xC3\xBC\xC3\x9F \xE2\x9C\x93 \xF0\x9F\x98\x80");
    EXPECT_EQ(plain_text("a\xFF"
                         "b",
                         100),
              "a\xEF\xBF\xBD"
              "b");
    EXPECT_EQ(plain_text("\xC3\x28", 100), "\xEF\xBF\xBD(");             // bad continuation
    EXPECT_EQ(plain_text("\xC0\xAF", 100), "\xEF\xBF\xBD\xEF\xBF\xBD");  // overlong
    EXPECT_EQ(plain_text("\xED\xA0\x80", 100),
              "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");                   // surrogate
    EXPECT_EQ(plain_text("\xE2\x9C", 100), "\xEF\xBF\xBD\xEF\xBF\xBD");  // truncated
    EXPECT_EQ(plain_text(std::string("a\0b\r\n\x1b[2J\x7f", 10), 100), "a b   [2J ");
}

TEST(PlainText, CutsOnACharacterBoundaryAndMarksTheCut) {
    EXPECT_EQ(plain_text("abcdefghij", 10), "abcdefghij");
    EXPECT_EQ(plain_text("abcdefghijk", 10), "abcdefg\xE2\x80\xA6");
    const auto cut = plain_text("\xC3\xBC\xC3\xBC\xC3\xBC\xC3\xBC", 7);  // 4 x ü (8 bytes)
    EXPECT_EQ(cut, "\xC3\xBC\xC3\xBC\xE2\x80\xA6");
    EXPECT_LE(plain_text(std::string(100'000, '\xFF'), 1024).size(), 1024U);
}

}  // namespace
}  // namespace mcpproxy::util
