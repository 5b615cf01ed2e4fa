#include "kernel/activity/activity_query.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "kernel/activity/sqlite_activity_store.hpp"
#include "test_support.hpp"

namespace mcpproxy::activity {
namespace {

using namespace std::chrono_literals;
using std::chrono::system_clock;

class ActivityQuery : public ::testing::Test {
protected:
    void SetUp() override {
        store_ = std::make_unique<SqliteActivityStore>(dir_.path());
        std::vector<ActivityRecord> records;
        for (int i = 0; i < 20; ++i) records.push_back(test::make_record(i, start_ + i * 1s));
        store_->insert_batch(records);
    }

    test::TempDir dir_;
    std::unique_ptr<SqliteActivityStore> store_;
    const system_clock::time_point start_ = system_clock::time_point(1'714'560'000s);
};

TEST_F(ActivityQuery, ListAsJsonHonoursTheFilterNewestFirst) {
    std::ostringstream out;
    list_activity(*store_, {.identity = "alice", .limit = 3}, ListFormat::json, out);
    const auto parsed = nlohmann::json::parse(out.str());
    ASSERT_EQ(parsed.size(), 3u);
    EXPECT_EQ(parsed[0].at("request_id"), "req-000019");
    EXPECT_EQ(parsed[1].at("request_id"), "req-000017");
    EXPECT_EQ(parsed[2].at("request_id"), "req-000015");
}

TEST_F(ActivityQuery, ListAsTableHasAHeaderAndOneLinePerRecord) {
    std::ostringstream out;
    list_activity(*store_, {.decision = "denied"}, ListFormat::table, out);
    const std::string text = out.str();
    EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 1 + 4);  // 0, 5, 10, 15
    EXPECT_EQ(text.find("TIME"), 0u);
    EXPECT_LT(text.find("req-000015"), text.find("req-000000"));
}

TEST_F(ActivityQuery, ExportStreamsEveryMatchAsJsonLines) {
    std::ostringstream out;
    const auto rows = export_activity(*store_, {.limit = 0, .order = Order::oldest_first},
                                      ExportFormat::jsonl, out);
    EXPECT_EQ(rows, 20u);
    std::istringstream in(out.str());
    std::string line;
    int n = 0;
    while (std::getline(in, line)) {
        char expected[16];
        std::snprintf(expected, sizeof expected, "req-%06d", n);
        EXPECT_EQ(nlohmann::json::parse(line).at("request_id"), expected);
        ++n;
    }
    EXPECT_EQ(n, 20);
}

TEST_F(ActivityQuery, ExportAsCsvWritesAHeaderThenTheRows) {
    std::ostringstream out;
    const auto rows =
        export_activity(*store_, {.server = "github", .limit = 0}, ExportFormat::csv, out);
    EXPECT_EQ(rows, 5u);
    const std::string text = out.str();
    EXPECT_EQ(text.rfind("time,request_id,", 0), 0u);
    std::size_t crlf = 0;
    for (auto pos = text.find("\r\n"); pos != std::string::npos; pos = text.find("\r\n", pos + 2)) {
        ++crlf;
    }
    EXPECT_EQ(crlf, 6u);
}

TEST_F(ActivityQuery, ExportFailsWhenTheOutputFails) {
    std::ostringstream out;
    out.setstate(std::ios::badbit);
    EXPECT_THROW(export_activity(*store_, {.limit = 0}, ExportFormat::csv, out),
                 std::runtime_error);
}

TEST(ActivityQueryFlags, ParseFormatsAndDecisions) {
    EXPECT_EQ(parse_list_format("table"), ListFormat::table);
    EXPECT_EQ(parse_list_format("json"), ListFormat::json);
    EXPECT_EQ(parse_export_format("jsonl"), ExportFormat::jsonl);
    EXPECT_EQ(parse_export_format("csv"), ExportFormat::csv);
    EXPECT_EQ(parse_decision("allowed"), "allowed");
    EXPECT_EQ(parse_decision("denied"), "denied");
    EXPECT_THROW(parse_list_format("yaml"), std::invalid_argument);
    EXPECT_THROW(parse_export_format("json"), std::invalid_argument);
    EXPECT_THROW(parse_decision("Denied"), std::invalid_argument);
}

}  // namespace
}  // namespace mcpproxy::activity
