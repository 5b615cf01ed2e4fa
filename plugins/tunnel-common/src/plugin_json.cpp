#include "mcpproxy/tunnel_common/plugin_json.hpp"

#include <algorithm>
#include <cstdlib>
#include <stdexcept>

namespace mcpproxy::tunnel_common {

nlohmann::json parse_config(std::string_view text) {
    if (text.empty()) return nlohmann::json::object();
    auto config = nlohmann::json::parse(text, nullptr, false);
    if (config.is_discarded() || !config.is_object()) {
        throw std::runtime_error("the plugin's config block must be a JSON object");
    }
    return config;
}

void require_known_keys(const nlohmann::json& config,
                        std::initializer_list<std::string_view> known) {
    for (const auto& [key, value] : config.items()) {
        if (std::find(known.begin(), known.end(), key) != known.end()) continue;
        std::string list;
        for (const auto k : known) list += (list.empty() ? "" : ", ") + std::string(k);
        throw std::runtime_error("unknown config key \"" + key + "\" (known: " + list + ")");
    }
}

std::string string_key(const nlohmann::json& config, const std::string& key,
                       const std::string& fallback) {
    const auto it = config.find(key);
    if (it == config.end() || it->is_null()) return fallback;
    if (!it->is_string()) throw std::runtime_error("config key \"" + key + "\" must be a string");
    return it->get<std::string>();
}

long long int_key(const nlohmann::json& config, const std::string& key, long long fallback) {
    const auto it = config.find(key);
    if (it == config.end() || it->is_null()) return fallback;
    if (!it->is_number_integer())
        throw std::runtime_error("config key \"" + key + "\" must be a whole number");
    return it->get<long long>();
}

bool bool_key(const nlohmann::json& config, const std::string& key, bool fallback) {
    const auto it = config.find(key);
    if (it == config.end() || it->is_null()) return fallback;
    if (!it->is_boolean())
        throw std::runtime_error("config key \"" + key + "\" must be true or false");
    return it->get<bool>();
}

std::optional<std::string> env_value(const char* name) {
    const char* value = std::getenv(name);
    if (value == nullptr || *value == '\0') return std::nullopt;
    return std::string(value);
}

}  // namespace mcpproxy::tunnel_common
