#include "duration_parse.hpp"

#include <gtest/gtest.h>

using namespace mcpproxy::agent_token;
using namespace std::chrono_literals;

namespace {

template <class F>
std::string error_of(F f) {
    try {
        f();
    } catch (const std::invalid_argument& e) {
        return e.what();
    }
    return "(no error)";
}

}  // namespace

TEST(LifetimeParse, AcceptsDaysAndHoursUpTo365Days) {
    EXPECT_EQ(parse_lifetime("30d"), std::chrono::days(30));
    EXPECT_EQ(parse_lifetime("1d"), std::chrono::days(1));
    EXPECT_EQ(parse_lifetime("12h"), 12h);
    EXPECT_EQ(parse_lifetime("1h"), 1h);
    EXPECT_EQ(parse_lifetime("365d"), std::chrono::days(365));
    EXPECT_EQ(parse_lifetime("8760h"), std::chrono::days(365));
    EXPECT_EQ(kDefaultLifetime, std::chrono::days(30));
}

TEST(LifetimeParse, RejectsTooLongWithAOneLineReason) {
    EXPECT_EQ(error_of([] { (void)parse_lifetime("400d"); }), "400d: at most 365d");
    EXPECT_EQ(error_of([] { (void)parse_lifetime("366d"); }), "366d: at most 365d");
    EXPECT_EQ(error_of([] { (void)parse_lifetime("8761h"); }), "8761h: at most 365d");
    EXPECT_EQ(error_of([] { (void)parse_lifetime("99999999999999d"); }),
              "99999999999999d: too large");
}

TEST(LifetimeParse, RejectsZeroAndOtherSyntax) {
    EXPECT_EQ(error_of([] { (void)parse_lifetime("0d"); }), "0d: at least 1h");
    EXPECT_EQ(error_of([] { (void)parse_lifetime("0h"); }), "0h: at least 1h");
    for (const char* bad :
         {"30", "d", "", "-1d", "1.5d", "30w", " 30d", "30d ", "30m", "30s", "3 0d", "+1d"}) {
        EXPECT_NE(error_of([bad] {
                      (void)parse_lifetime(bad);
                  }).find("expected a number of days or hours"),
                  std::string::npos)
            << "'" << bad << "'";
    }
}

TEST(LifetimeParse, EchoesOnlyPrintableInput) {
    EXPECT_EQ(error_of([] { (void)parse_lifetime("\x1b[31m"); }).substr(0, 6), "?[31m:");
}

TEST(LifetimeParse, NeverEchoesAPastedSecret) {
    const std::string secret = "mcp_agt_" + std::string(64, 'a');
    const auto message = error_of([&] { (void)parse_lifetime(secret); });
    EXPECT_EQ(message.find("aaaaaaaa"), std::string::npos) << message;
    EXPECT_NE(message.find("not shown"), std::string::npos) << message;
}

TEST(GraceParse, AcceptsSecondsToDaysUpTo7Days) {
    EXPECT_EQ(parse_grace("0s"), 0s);
    EXPECT_EQ(parse_grace("60s"), 60s);
    EXPECT_EQ(parse_grace("15m"), 15min);
    EXPECT_EQ(parse_grace("2h"), 2h);
    EXPECT_EQ(parse_grace("7d"), std::chrono::days(7));
    EXPECT_EQ(error_of([] { (void)parse_grace("8d"); }), "8d: at most 7d");
    EXPECT_NE(error_of([] { (void)parse_grace("60"); }).find("expected a duration like 60s"),
              std::string::npos);
}

TEST(DurationFormat, UsesTheLargestExactUnit) {
    EXPECT_EQ(format_duration(std::chrono::days(30)), "30d");
    EXPECT_EQ(format_duration(36h), "36h");
    EXPECT_EQ(format_duration(90min), "90m");
    EXPECT_EQ(format_duration(61s), "61s");
    EXPECT_EQ(format_duration(0s), "0s");
}
