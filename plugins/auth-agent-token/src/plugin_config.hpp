#pragma once

#include <chrono>
#include <string_view>

#include "duration_parse.hpp"

namespace mcpproxy::agent_token {

// The plugin's config block (see README.md). Unknown keys are errors, so a typo is never ignored.
struct PluginConfig {
    std::chrono::milliseconds poll_interval{200};
    std::chrono::milliseconds last_used_flush_interval{5'000};
    std::chrono::milliseconds busy_timeout{5'000};
    bool accept_x_api_key = true;
    std::chrono::seconds default_lifetime = kDefaultLifetime;
};

// Throws std::invalid_argument naming the key and what is wrong with it.
[[nodiscard]] PluginConfig parse_plugin_config(std::string_view json_text);

}  // namespace mcpproxy::agent_token
