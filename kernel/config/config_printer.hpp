#pragma once

#include <nlohmann/json.hpp>

#include "kernel/config/config.hpp"

namespace mcpproxy::config {

// The effective configuration as JSON, with every secret (api_key, env values, header values)
// replaced by "<redacted>".
nlohmann::json effective_config_redacted(const Config& config);

}  // namespace mcpproxy::config
