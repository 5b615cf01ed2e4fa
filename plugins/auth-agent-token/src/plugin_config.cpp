#include "plugin_config.hpp"

#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>

namespace mcpproxy::agent_token {
namespace {

constexpr const char* kPrefix = "auth-agent-token config: ";

std::chrono::milliseconds milliseconds_in(const nlohmann::json& j, const char* key, std::int64_t lo,
                                          std::int64_t hi) {
    if (!j.is_number_integer() || j.get<std::int64_t>() < lo || j.get<std::int64_t>() > hi) {
        throw std::invalid_argument(std::string(kPrefix) + "'" + key +
                                    "' must be an integer from " + std::to_string(lo) + " to " +
                                    std::to_string(hi) + " (milliseconds)");
    }
    return std::chrono::milliseconds(j.get<std::int64_t>());
}

}  // namespace

PluginConfig parse_plugin_config(std::string_view json_text) {
    PluginConfig config;
    const auto root = nlohmann::json::parse(json_text.empty() ? std::string_view("{}") : json_text,
                                            nullptr, false);
    if (root.is_discarded() || !root.is_object()) {
        throw std::invalid_argument(std::string(kPrefix) + "must be a JSON object");
    }
    for (const auto& [key, value] : root.items()) {
        if (key == "poll_interval_ms") {
            config.poll_interval = milliseconds_in(value, "poll_interval_ms", 20, 1'000);
        } else if (key == "last_used_flush_ms") {
            config.last_used_flush_interval =
                milliseconds_in(value, "last_used_flush_ms", 200, 3'600'000);
        } else if (key == "busy_timeout_ms") {
            config.busy_timeout = milliseconds_in(value, "busy_timeout_ms", 0, 60'000);
        } else if (key == "accept_x_api_key") {
            if (!value.is_boolean())
                throw std::invalid_argument(std::string(kPrefix) +
                                            "'accept_x_api_key' must be true or false");
            config.accept_x_api_key = value.get<bool>();
        } else if (key == "default_expiry") {
            if (!value.is_string())
                throw std::invalid_argument(std::string(kPrefix) +
                                            "'default_expiry' must be a string like \"30d\"");
            try {
                config.default_lifetime = parse_lifetime(value.get<std::string>());
            } catch (const std::invalid_argument& e) {
                throw std::invalid_argument(std::string(kPrefix) + "'default_expiry': " + e.what());
            }
        } else {
            throw std::invalid_argument(
                std::string(kPrefix) + "unknown key '" + key +
                "' (known: poll_interval_ms, last_used_flush_ms, busy_timeout_ms, "
                "accept_x_api_key, default_expiry)");
        }
    }
    return config;
}

}  // namespace mcpproxy::agent_token
