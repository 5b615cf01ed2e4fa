#include "kernel/config/config_printer.hpp"

#include <gtest/gtest.h>

#include "kernel/config/config_loader.hpp"

namespace mcpproxy::config {
namespace {

TEST(ConfigPrinter, RedactsEverySecret) {
    const auto c = parse_config(nlohmann::json::parse(R"({"api_key": "sekrit-admin",
        "mcpServers": [{"name": "a", "command": "x", "env": {"GITHUB_TOKEN": "ghp_sekrit"}},
                       {"name": "b", "url": "https://h/mcp", "headers": {"Authorization": "Bearer sekrit"}}]})"),
                                "c.json");
    const std::string text = effective_config_redacted(c).dump();
    EXPECT_EQ(text.find("sekrit"), std::string::npos) << text;
    EXPECT_NE(text.find("GITHUB_TOKEN"), std::string::npos);
    EXPECT_NE(text.find("<redacted>"), std::string::npos);
}

}  // namespace
}  // namespace mcpproxy::config
