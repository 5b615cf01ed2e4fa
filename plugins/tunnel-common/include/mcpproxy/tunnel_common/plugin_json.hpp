#pragma once

#include <initializer_list>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace mcpproxy::tunnel_common {

// A plugin's config block (Host::config_json()); throws std::runtime_error when it is not a
// JSON object.
nlohmann::json parse_config(std::string_view text);

// Throws std::runtime_error naming the first key of config not in known, and listing the known
// ones.
void require_known_keys(const nlohmann::json& config,
                        std::initializer_list<std::string_view> known);

// Typed reads of optional keys; throw std::runtime_error naming the key ("config key \"port\"
// must be a number") when the value has the wrong type.
std::string string_key(const nlohmann::json& config, const std::string& key,
                       const std::string& fallback = {});
long long int_key(const nlohmann::json& config, const std::string& key, long long fallback);
bool bool_key(const nlohmann::json& config, const std::string& key, bool fallback);

// The environment variable's value, nullopt when unset or empty.
std::optional<std::string> env_value(const char* name);

}  // namespace mcpproxy::tunnel_common
