#include <gtest/gtest.h>

#include <sstream>

#include "kernel/activity/activity_csv.hpp"
#include "kernel/activity/activity_json.hpp"
#include "kernel/activity/activity_table.hpp"
#include "test_support.hpp"

namespace mcpproxy::activity {
namespace {

using namespace std::chrono;
using namespace std::chrono_literals;

const system_clock::time_point kTime = sys_days{2024y / 5 / 1} + 9h + 8min + 7s + 123456us;

ActivityRecord sample() {
    ActivityRecord r = test::make_record(7, kTime);
    r.tool = "read_file";
    r.decision = "denied";
    r.reason = "insufficient_permission";
    r.http_status = 403;
    r.jsonrpc_error = -32001;
    r.latency = 12'345us;
    r.bytes_in = 321;
    r.bytes_out = 0;
    return r;
}

TEST(CsvField, QuotesOnlyWhatRfc4180Requires) {
    EXPECT_EQ(csv_field("plain value"), "plain value");
    EXPECT_EQ(csv_field(""), "");
    EXPECT_EQ(csv_field("a,b"), "\"a,b\"");
    EXPECT_EQ(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
    EXPECT_EQ(csv_field("\""), "\"\"\"\"");
    EXPECT_EQ(csv_field("line1\nline2"), "\"line1\nline2\"");
    EXPECT_EQ(csv_field("cr\rhere"), "\"cr\rhere\"");
    EXPECT_EQ(csv_field(" padded "), " padded ");
}

TEST(CsvRow, HeaderAndRowsHaveTheSameColumnsAndEndInCrlf) {
    std::ostringstream out;
    write_csv_header(out);
    ActivityRecord r = sample();
    r.tool = "odd,\"tool\"\nname";
    r.arguments = R"({"q":"a,b"})";
    write_csv_row(r, out);
    EXPECT_EQ(out.str(),
              "time,request_id,identity_name,identity_kind,client_address,listener,method,server,"
              "tool,decision,reason,http_status,jsonrpc_error,latency_us,bytes_in,bytes_out,"
              "arguments\r\n"
              "2024-05-01T09:08:07.123456Z,req-000007,alice,agent_token,127.0.0.1:51007,main,"
              "tools/call,filesystem,\"odd,\"\"tool\"\"\nname\",denied,insufficient_permission,403,"
              "-32001,12345,321,0,\"{\"\"q\"\":\"\"a,b\"\"}\"\r\n");
}

TEST(CsvRow, AbsentOptionalsAreEmptyFields) {
    std::ostringstream out;
    ActivityRecord r = test::make_record(1, kTime);
    write_csv_row(r, out);
    const std::string line = out.str();
    EXPECT_EQ(line.substr(line.size() - 2), "\r\n");
    EXPECT_NE(line.find(",200,,1501,101,2000,\r\n"), std::string::npos) << line;
}

TEST(ActivityJson, HasEveryFieldWithNullsForAbsentOnes) {
    const auto j = to_json(sample());
    EXPECT_EQ(j.at("time"), "2024-05-01T09:08:07.123456Z");
    EXPECT_EQ(j.at("request_id"), "req-000007");
    EXPECT_EQ(j.at("identity_name"), "alice");
    EXPECT_EQ(j.at("identity_kind"), "agent_token");
    EXPECT_EQ(j.at("client_address"), "127.0.0.1:51007");
    EXPECT_EQ(j.at("listener"), "main");
    EXPECT_EQ(j.at("method"), "tools/call");
    EXPECT_EQ(j.at("server"), "filesystem");
    EXPECT_EQ(j.at("tool"), "read_file");
    EXPECT_EQ(j.at("decision"), "denied");
    EXPECT_EQ(j.at("reason"), "insufficient_permission");
    EXPECT_EQ(j.at("http_status"), 403);
    EXPECT_EQ(j.at("jsonrpc_error"), -32001);
    EXPECT_EQ(j.at("latency_us"), 12345);
    EXPECT_EQ(j.at("bytes_in"), 321);
    EXPECT_EQ(j.at("bytes_out"), 0);
    EXPECT_TRUE(j.at("arguments").is_null());
    EXPECT_EQ(j.size(), 17u);

    const auto plain = to_json(test::make_record(1, kTime));
    EXPECT_TRUE(plain.at("jsonrpc_error").is_null());
}

TEST(ActivityJson, InvalidUtf8FromAnUpstreamDoesNotBreakTheOutput) {
    ActivityRecord r = sample();
    r.tool = "bad\xff\xfe";
    std::ostringstream out;
    write_jsonl_line(r, out);
    const auto parsed = nlohmann::json::parse(out.str());
    EXPECT_EQ(parsed.at("tool"), "bad\xEF\xBF\xBD\xEF\xBF\xBD");
}

TEST(ActivityJson, ArrayAndLinesParseBack) {
    const std::vector<ActivityRecord> records{sample(), test::make_record(2, kTime)};
    std::ostringstream array;
    write_json_array(records, array);
    const auto parsed = nlohmann::json::parse(array.str());
    ASSERT_TRUE(parsed.is_array());
    EXPECT_EQ(parsed.size(), 2u);
    EXPECT_EQ(parsed[1].at("request_id"), "req-000002");

    std::ostringstream empty;
    write_json_array({}, empty);
    EXPECT_EQ(empty.str(), "[]\n");

    std::ostringstream lines;
    for (const auto& r : records) write_jsonl_line(r, lines);
    std::istringstream in(lines.str());
    std::string line;
    int n = 0;
    while (std::getline(in, line)) {
        EXPECT_EQ(nlohmann::json::parse(line).at("request_id"),
                  records[static_cast<std::size_t>(n)].request_id);
        ++n;
    }
    EXPECT_EQ(n, 2);
}

TEST(ActivityTable, ShowsTheListColumnsAligned) {
    std::ostringstream out;
    const std::vector<ActivityRecord> records{sample(), test::make_record(12, kTime)};
    write_table(records, out);
    std::istringstream in(out.str());
    std::string header, first, second, extra;
    std::getline(in, header);
    std::getline(in, first);
    std::getline(in, second);
    EXPECT_FALSE(std::getline(in, extra));

    EXPECT_EQ(header.find("TIME"), 0u);
    for (const char* column : {"REQUEST ID", "IDENTITY", "CLIENT", "SERVER", "TOOL", "DECISION",
                               "STATUS", "LATENCY MS"}) {
        EXPECT_NE(header.find(column), std::string::npos) << column;
    }
    EXPECT_EQ(first.find("2024-05-01T09:08:07.123Z"), 0u);
    EXPECT_NE(first.find("denied (insufficient_permission)"), std::string::npos) << first;
    EXPECT_NE(first.find("403/-32001"), std::string::npos) << first;
    EXPECT_EQ(first.substr(first.size() - 4), "12.3") << first;  // latency, right-aligned
    EXPECT_EQ(second.substr(second.size() - 3), "1.5") << second;
    EXPECT_EQ(header.size(), first.size());
    EXPECT_EQ(header.find("SERVER"), first.find("filesystem"));
    EXPECT_EQ(header.find("SERVER"), second.find("github"));
    EXPECT_NE(second.find(" -  "), std::string::npos) << "empty tool shown as '-': " << second;
}

TEST(ActivityTable, NeutralisesTerminalControlCharactersAndCapsWidth) {
    EXPECT_EQ(table_cell("evil\x1b[31mred\a", 40), "evil?[31mred?");
    EXPECT_EQ(table_cell("c1\xc2\x9b"
                         "2J",
                         40),
              "c1?2J");
    EXPECT_EQ(table_cell("caf\xc3\xa9", 4), "caf\xc3\xa9");
    EXPECT_EQ(table_cell("abcdef", 4), "abc\xe2\x80\xa6");
    EXPECT_EQ(table_cell("abcd", 4), "abcd");

    ActivityRecord r = sample();
    r.client_address = "\x1b]0;pwned\x07";
    std::ostringstream out;
    write_table(std::vector<ActivityRecord>{r}, out);
    EXPECT_EQ(out.str().find('\x1b'), std::string::npos);
}

}  // namespace
}  // namespace mcpproxy::activity
