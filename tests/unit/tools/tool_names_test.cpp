#include "tools/tool_names.hpp"

#include <gtest/gtest.h>

namespace mcpproxy::tools {
namespace {

TEST(ToolNames, ServerNames) {
    for (const char* valid : {"github", "A", "my-server_1", "9lives", "srv_"}) {
        EXPECT_TRUE(is_valid_server_name(valid)) << valid;
    }
    for (const char* invalid : {"", "-x", "_x", "a b", "a:b", "a__b", "a.b", "caf\xc3\xa9"}) {
        EXPECT_FALSE(is_valid_server_name(invalid)) << invalid;
    }
}

TEST(ToolNames, DirectNameRoundTrip) {
    const std::string name = direct_name("github", "create_issue");
    EXPECT_EQ(name, "github__create_issue");
    const auto parts = split_direct_name(name);
    ASSERT_TRUE(parts);
    EXPECT_EQ(parts->server, "github");
    EXPECT_EQ(parts->tool, "create_issue");
}

TEST(ToolNames, DirectNameSplitsOnTheFirstSeparator) {
    const auto parts = split_direct_name("srv__a__b");
    ASSERT_TRUE(parts);
    EXPECT_EQ(parts->server, "srv");
    EXPECT_EQ(parts->tool, "a__b");
}

TEST(ToolNames, InvalidDirectNames) {
    for (const char* invalid : {"", "nosep", "single_underscore", "__tool", "srv__",
                                "bad server__x", "-srv__x", "github:create_issue"}) {
        EXPECT_FALSE(split_direct_name(invalid)) << invalid;
    }
}

TEST(ToolNames, QualifiedIdRoundTrip) {
    EXPECT_EQ(qualified_id("github", "create_issue"), "github:create_issue");
    const auto parts = split_qualified_id("srv:ns:tool");
    ASSERT_TRUE(parts);
    EXPECT_EQ(parts->server, "srv");
    EXPECT_EQ(parts->tool, "ns:tool");
}

TEST(ToolNames, InvalidQualifiedIds) {
    for (const char* invalid : {"", "nocolon", ":tool", "srv:", "a b:c", "a__b:c", "srv__tool"}) {
        EXPECT_FALSE(split_qualified_id(invalid)) << invalid;
    }
}

}  // namespace
}  // namespace mcpproxy::tools
