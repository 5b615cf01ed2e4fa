#include "tools/tool_descriptor.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

namespace mcpproxy::tools {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

std::string error_of(const json& tool) {
    try {
        from_mcp_tool("weather", tool);
    } catch (const std::invalid_argument& error) {
        return error.what();
    }
    return "(no exception)";
}

TEST(ToolDescriptor, ReadsEveryFieldAndKeepsTheUpstreamObjectVerbatim) {
    const json tool = {
        {"name", "get_forecast"},
        {"title", "Forecast"},
        {"description", "Weather forecast for a city"},
        {"inputSchema", {{"type", "object"}, {"properties", {{"city", {{"type", "string"}}}}}}},
        {"outputSchema", {{"type", "object"}}},
        {"annotations", {{"readOnlyHint", true}}},
        {"_meta", {{"vendor/x", 1}}},
        {"icons", json::array({{{"src", "https://example.com/i.png"}}})}};

    const ToolDescriptor descriptor = from_mcp_tool("weather", tool);

    EXPECT_EQ(descriptor.server, "weather");
    EXPECT_EQ(descriptor.name, "get_forecast");
    EXPECT_EQ(descriptor.title, "Forecast");
    EXPECT_EQ(descriptor.description, "Weather forecast for a city");
    EXPECT_EQ(descriptor.input_schema, tool["inputSchema"]);
    EXPECT_EQ(descriptor.output_schema, tool["outputSchema"]);
    EXPECT_EQ(descriptor.annotations, tool["annotations"]);
    EXPECT_EQ(descriptor.raw, tool);
}

TEST(ToolDescriptor, FillsDefaultsForOptionalFields) {
    const ToolDescriptor descriptor = from_mcp_tool("s", {{"name", "ping"}});

    EXPECT_EQ(descriptor.title, "");
    EXPECT_EQ(descriptor.description, "");
    EXPECT_EQ(descriptor.input_schema, json({{"type", "object"}}));
    EXPECT_TRUE(descriptor.output_schema.is_null());
    EXPECT_TRUE(descriptor.annotations.is_null());
    EXPECT_EQ(descriptor.raw, json({{"name", "ping"}}));
}

TEST(ToolDescriptor, TitleFallsBackToAnnotationsTitle) {
    const auto descriptor =
        from_mcp_tool("s", {{"name", "ping"}, {"annotations", {{"title", "Ping it"}}}});
    EXPECT_EQ(descriptor.title, "Ping it");
}

TEST(ToolDescriptor, RejectsMissingName) {
    const std::string error = error_of({{"description", "no name"}});
    EXPECT_THAT(error, HasSubstr("missing required field \"name\""));
    EXPECT_THAT(error, HasSubstr("\"weather\""));
}

TEST(ToolDescriptor, RejectsNameThatIsNotAString) {
    EXPECT_THAT(error_of({{"name", 42}}), HasSubstr("\"name\" must be a string"));
    EXPECT_THAT(error_of({{"name", nullptr}}), HasSubstr("\"name\" must be a string"));
}

TEST(ToolDescriptor, RejectsEmptyNameAndNonObjects) {
    EXPECT_THAT(error_of({{"name", ""}}), HasSubstr("must not be empty"));
    EXPECT_THAT(error_of(json::array()), HasSubstr("must be a JSON object"));
}

TEST(ToolDescriptor, RejectsSchemasAndAnnotationsOfTheWrongType) {
    EXPECT_THAT(error_of({{"name", "t"}, {"inputSchema", "x"}}),
                HasSubstr("\"inputSchema\" must be an object"));
    EXPECT_THAT(error_of({{"name", "t"}, {"outputSchema", 3}}),
                HasSubstr("\"outputSchema\" must be an object"));
    EXPECT_THAT(error_of({{"name", "t"}, {"annotations", json::array()}}),
                HasSubstr("(tool \"t\"): \"annotations\" must be an object"));
}

}  // namespace
}  // namespace mcpproxy::tools
