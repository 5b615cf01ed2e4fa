#include "tools/intent.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace mcpproxy::tools {
namespace {

using nlohmann::json;
using sdk::Permission;
using ::testing::HasSubstr;

struct IntentCase {
    json annotations;
    Permission expected;
};

TEST(Intent, ClassifiesAnnotations) {
    const IntentCase cases[] = {
        {nullptr, Permission::write},
        {json::object(), Permission::write},
        {json::array({true}), Permission::write},
        {{{"readOnlyHint", true}}, Permission::read},
        {{{"readOnlyHint", false}}, Permission::write},
        {{{"destructiveHint", true}}, Permission::destructive},
        {{{"destructiveHint", false}}, Permission::write},
        {{{"readOnlyHint", false}, {"destructiveHint", true}}, Permission::destructive},
        // readOnlyHint wins: a read-only tool cannot destroy anything.
        {{{"readOnlyHint", true}, {"destructiveHint", true}}, Permission::read},
        // Only JSON booleans count.
        {{{"readOnlyHint", "true"}}, Permission::write},
        {{{"destructiveHint", 1}}, Permission::write},
        {{{"idempotentHint", true}, {"openWorldHint", true}}, Permission::write},
    };
    for (const auto& c : cases) {
        EXPECT_EQ(required_permission(c.annotations), c.expected) << c.annotations.dump();
    }
}

TEST(Intent, ClassifiesADescriptorByItsAnnotations) {
    ToolDescriptor tool;
    EXPECT_EQ(required_permission(tool), Permission::write);
    tool.annotations = {{"destructiveHint", true}};
    EXPECT_EQ(required_permission(tool), Permission::destructive);
}

TEST(Intent, VariantNamesRoundTrip) {
    EXPECT_EQ(call_variant_for(Permission::read), "call_tool_read");
    EXPECT_EQ(call_variant_for(Permission::write), "call_tool_write");
    EXPECT_EQ(call_variant_for(Permission::destructive), "call_tool_destructive");
    for (const auto permission : {Permission::read, Permission::write, Permission::destructive}) {
        EXPECT_EQ(permission_for_call_variant(call_variant_for(permission)), permission);
    }
}

TEST(Intent, UnknownVariantNames) {
    for (const char* name :
         {"", "call_tool", "CALL_TOOL_READ", "call_tool_read ", "retrieve_tools"}) {
        EXPECT_FALSE(permission_for_call_variant(name)) << name;
    }
}

TEST(Intent, DeclaredIntentMustCoverTheTool) {
    EXPECT_FALSE(intent_mismatch(Permission::read, Permission::read, "s:t"));
    EXPECT_FALSE(intent_mismatch(Permission::write, Permission::read, "s:t"));
    EXPECT_FALSE(intent_mismatch(Permission::destructive, Permission::write, "s:t"));

    const auto too_low =
        intent_mismatch(Permission::read, Permission::write, "github:create_issue");
    ASSERT_TRUE(too_low);
    EXPECT_THAT(*too_low, HasSubstr("\"github:create_issue\""));
    EXPECT_THAT(*too_low, HasSubstr("call it with call_tool_write, not call_tool_read"));

    const auto destructive = intent_mismatch(Permission::write, Permission::destructive, "fs:rm");
    ASSERT_TRUE(destructive);
    EXPECT_THAT(*destructive, HasSubstr("call it with call_tool_destructive"));
}

}  // namespace
}  // namespace mcpproxy::tools
