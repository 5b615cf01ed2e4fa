#include <gtest/gtest.h>

#include "kernel/config/config_error.hpp"
#include "kernel/config/config_loader.hpp"
#include "kernel/config/config_printer.hpp"

namespace mcpproxy::config {
namespace {

using namespace std::chrono_literals;

ActivityConfig activity_of(const std::string& activity_json) {
    return parse_config(nlohmann::json::parse(R"({"activity": )" + activity_json + "}"), "c.json")
        .activity;
}

std::string error_of(const std::string& activity_json) {
    try {
        activity_of(activity_json);
    } catch (const ConfigError& e) {
        return e.what();
    }
    return "no error";
}

TEST(ActivityConfig, DefaultsAreNinetyDaysAndOneGigabyte) {
    const auto a = parse_config(nlohmann::json::object(), "c.json").activity;
    EXPECT_EQ(a.retention, std::chrono::days(90));
    EXPECT_EQ(a.max_size, 1'000'000'000u);
    EXPECT_EQ(activity_of("{}").retention, std::chrono::days(90));
}

TEST(ActivityConfig, RetentionTakesDurationsOrForever) {
    EXPECT_EQ(activity_of(R"({"retention": "30d"})").retention, std::chrono::days(30));
    EXPECT_EQ(activity_of(R"({"retention": "12h"})").retention, 12h);
    EXPECT_EQ(activity_of(R"({"retention": 7200})").retention, 2h);
    EXPECT_EQ(activity_of(R"({"retention": "forever"})").retention, 0ms);
}

TEST(ActivityConfig, MaxSizeTakesSizesBytesOrUnlimited) {
    EXPECT_EQ(activity_of(R"({"max_size": "500MB"})").max_size, 500'000'000u);
    EXPECT_EQ(activity_of(R"({"max_size": "2GiB"})").max_size, 2'147'483'648u);
    EXPECT_EQ(activity_of(R"({"max_size": "10 GB"})").max_size, 10'000'000'000u);
    EXPECT_EQ(activity_of(R"({"max_size": 5000000})").max_size, 5'000'000u);
    EXPECT_EQ(activity_of(R"({"max_size": 0})").max_size, 0u);
    EXPECT_EQ(activity_of(R"({"max_size": "0"})").max_size, 0u);
    EXPECT_EQ(activity_of(R"({"max_size": "unlimited"})").max_size, 0u);
}

TEST(ActivityConfig, BadValuesNameTheKey) {
    const std::string retention = "config error: c.json: $.activity.retention: ";
    EXPECT_EQ(error_of(R"({"retention": "90 days"})"),
              retention + "expected a duration such as \"90d\" or \"12h\", or \"forever\"");
    EXPECT_EQ(error_of(R"({"retention": -5})"),
              retention + "expected a duration such as \"90d\" or \"12h\", or \"forever\"");
    EXPECT_EQ(error_of(R"({"retention": true})"),
              retention + "expected a duration such as \"90d\" or \"12h\", or \"forever\"");
    EXPECT_EQ(
        error_of(R"({"retention": "0d"})"),
        retention + "0 would keep nothing; use \"forever\" to keep records whatever their age");
    EXPECT_EQ(
        error_of(R"({"retention": "0"})"),
        retention + "0 would keep nothing; use \"forever\" to keep records whatever their age");
    EXPECT_EQ(
        error_of(R"({"retention": 0})"),
        retention + "0 would keep nothing; use \"forever\" to keep records whatever their age");
    EXPECT_EQ(error_of(R"({"retention": "30m"})"),
              retention + "must be at least 1h (or \"forever\")");
    EXPECT_EQ(error_of(R"({"retention": "36501d"})"),
              retention + "must be at most 36500d (or \"forever\")");
    EXPECT_EQ(error_of(R"({"retention": 1e300})"),
              retention + "must be at most 36500d (or \"forever\")");

    const std::string max_size = "config error: c.json: $.activity.max_size: ";
    const std::string expected_size =
        "expected a size such as \"1GB\", \"500MB\" or \"256MiB\", or 0 / \"unlimited\"";
    EXPECT_EQ(error_of(R"({"max_size": "1 gigabyte"})"), max_size + expected_size);
    EXPECT_EQ(error_of(R"({"max_size": "1G"})"), max_size + expected_size);
    EXPECT_EQ(error_of(R"({"max_size": -1})"), max_size + expected_size);
    EXPECT_EQ(error_of(R"({"max_size": 1.5})"), max_size + expected_size);
    EXPECT_EQ(error_of(R"({"max_size": "100KB"})"),
              max_size + "must be at least 1MB (or 0 / \"unlimited\")");

    EXPECT_EQ(error_of(R"({"retension": "1d"})"),
              "config error: c.json: $.activity.retension: unknown key (did you mean "
              "\"retention\"?)");
    EXPECT_EQ(error_of(R"("90d")"),
              "config error: c.json: $.activity: expected an object, got a string");
}

TEST(ActivityConfig, TheEffectiveConfigShowsBothAsAFileWouldSayThem) {
    const auto shown = [](const std::string& activity_json) {
        return effective_config_redacted(
                   parse_config(nlohmann::json::parse(R"({"activity": )" + activity_json + "}"),
                                "c.json"))
            .at("activity");
    };
    EXPECT_EQ(shown("{}"), (nlohmann::json{{"retention", "90d"}, {"max_size", 1'000'000'000}}));
    EXPECT_EQ(shown(R"({"retention": "36h", "max_size": "unlimited"})"),
              (nlohmann::json{{"retention", "36h"}, {"max_size", 0}}));
    EXPECT_EQ(shown(R"({"retention": "forever", "max_size": "256MiB"})"),
              (nlohmann::json{{"retention", "forever"}, {"max_size", 268'435'456}}));
    // What is shown loads back to the same values.
    const auto again = activity_of(shown(R"({"retention": "90m", "max_size": "2GB"})").dump());
    EXPECT_EQ(again.retention, 90min);
    EXPECT_EQ(again.max_size, 2'000'000'000u);
}

}  // namespace
}  // namespace mcpproxy::config
