// Regressions found by tests/fuzz (fuzz_jsonrpc): hostile JSON must fail to parse with a reason,
// never throw out of parse_json (an upstream's stdout reader and the /mcp endpoint rely on it).
#include <gtest/gtest.h>

#include <algorithm>

#include "kernel/protocol/jsonrpc.hpp"
#include "kernel/protocol/protocol_versions.hpp"

namespace mcpproxy::protocol {
namespace {

TEST(ParseJsonFuzzRegressions, NumberBeyondDoubleIsAParseFailureNotAnException) {
    ParseFailure failure;
    std::optional<Json> parsed;
    EXPECT_NO_THROW(parsed =
                        parse_json(R"({"jsonrpc":"2.0","id":1e400,"method":"ping"})", failure));
    EXPECT_FALSE(parsed.has_value());
    EXPECT_NE(failure.reason.find("malformed JSON"), std::string::npos);
}

TEST(ParseJsonFuzzRegressions, NegativeOverflowInNestedParamsToo) {
    ParseFailure failure;
    EXPECT_FALSE(parse_json(R"({"params":{"a":[-9e999]}})", failure).has_value());
    EXPECT_FALSE(failure.reason.empty());
}

TEST(ParseJsonFuzzRegressions, DepthLimitStillApplies) {
    ParseFailure failure;
    const std::string deep = std::string(100, '[') + std::string(100, ']');
    EXPECT_FALSE(parse_json(deep, failure).has_value());
    EXPECT_NE(failure.reason.find("nesting deeper than 64"), std::string::npos);
    const std::string ok = std::string(64, '[') + std::string(64, ']');
    EXPECT_TRUE(parse_json(ok, failure).has_value());
}

TEST(ParseJsonFuzzRegressions, LargeButFiniteNumbersParse) {
    ParseFailure failure;
    const auto parsed =
        parse_json(R"({"id":18446744073709551615,"x":1e308,"y":-9223372036854775808})", failure);
    ASSERT_TRUE(parsed.has_value());
    EXPECT_EQ(classify(*parsed), MessageKind::invalid);  // no jsonrpc member
}

}  // namespace
}  // namespace mcpproxy::protocol

namespace mcpproxy::protocol {
namespace {

// fuzz_jsonrpc: negotiate_version returned a view into its argument, so a caller passing a
// temporary std::string (json.get<std::string>()) kept a dangling view.
TEST(NegotiateVersionFuzzRegressions, ReturnsTheTablesTextNotTheCallersTemporary) {
    const std::string_view chosen = negotiate_version(std::string("2025-06-18"));
    EXPECT_EQ(chosen, "2025-06-18");
    const auto* in_table =
        std::find_if(kSupportedVersions.begin(), kSupportedVersions.end(),
                     [&](std::string_view v) { return v.data() == chosen.data(); });
    EXPECT_NE(in_table, kSupportedVersions.end()) << "points outside the table";
    EXPECT_EQ(negotiate_version(std::string("1999-01-01")), kLatestSessionVersion);
    EXPECT_EQ(negotiate_version(std::string(kStatelessVersion)), kLatestSessionVersion);
}

}  // namespace
}  // namespace mcpproxy::protocol
