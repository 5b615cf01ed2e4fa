#include "kernel/config/json_reader.hpp"

#include <cmath>
#include <vector>

#include "kernel/config/config_error.hpp"
#include "kernel/util/duration.hpp"
#include "kernel/util/edit_distance.hpp"

namespace mcpproxy::config {

std::string json_type_name(const nlohmann::json& value) {
    switch (value.type()) {
        case nlohmann::json::value_t::null:
            return "null";
        case nlohmann::json::value_t::boolean:
            return "a boolean";
        case nlohmann::json::value_t::number_integer:
        case nlohmann::json::value_t::number_unsigned:
        case nlohmann::json::value_t::number_float:
            return "a number";
        case nlohmann::json::value_t::string:
            return "a string";
        case nlohmann::json::value_t::array:
            return "an array";
        case nlohmann::json::value_t::object:
            return "an object";
        default:
            return "an unsupported value";
    }
}

JsonReader::JsonReader(const nlohmann::json& object, std::string file, std::string path)
    : object_(object), file_(std::move(file)), path_(std::move(path)) {
    if (!object_.is_object()) {
        throw ConfigError(file_, path_, "expected an object, got " + json_type_name(object_));
    }
}

std::string JsonReader::path_of(std::string_view key) const {
    return path_ + "." + std::string(key);
}

void JsonReader::fail(std::string_view key, const std::string& problem) const {
    throw ConfigError(file_, path_of(key), problem);
}

const nlohmann::json* JsonReader::find(std::string_view key) {
    known_.emplace(key);
    const auto it = object_.find(std::string(key));
    if (it == object_.end()) return nullptr;
    return &*it;
}

const nlohmann::json* JsonReader::raw(std::string_view key) {
    return find(key);
}

std::optional<std::string> JsonReader::string(std::string_view key) {
    const auto* v = find(key);
    if (v == nullptr) return std::nullopt;
    if (!v->is_string()) fail(key, "expected a string, got " + json_type_name(*v));
    return v->get<std::string>();
}

std::optional<bool> JsonReader::boolean(std::string_view key) {
    const auto* v = find(key);
    if (v == nullptr) return std::nullopt;
    if (!v->is_boolean()) fail(key, "expected true or false, got " + json_type_name(*v));
    return v->get<bool>();
}

std::optional<std::int64_t> JsonReader::integer(std::string_view key, std::int64_t min,
                                                std::int64_t max) {
    const auto* v = find(key);
    if (v == nullptr) return std::nullopt;
    if (!v->is_number_integer()) fail(key, "expected a whole number, got " + json_type_name(*v));
    const auto value = v->get<std::int64_t>();
    if (value < min || value > max) {
        fail(key, "must be between " + std::to_string(min) + " and " + std::to_string(max) +
                      ", got " + std::to_string(value));
    }
    return value;
}

std::optional<double> JsonReader::number(std::string_view key, double min, double max) {
    const auto* v = find(key);
    if (v == nullptr) return std::nullopt;
    if (!v->is_number()) fail(key, "expected a number, got " + json_type_name(*v));
    const auto value = v->get<double>();
    if (value < min || value > max) {
        fail(key, "must be between " + std::to_string(min) + " and " + std::to_string(max));
    }
    return value;
}

std::optional<std::chrono::milliseconds> JsonReader::duration(std::string_view key) {
    const auto* v = find(key);
    if (v == nullptr) return std::nullopt;
    if (v->is_number() && v->get<double>() >= 0) {
        // The same bound as a duration string; beyond it the conversion would be undefined.
        const double ms = v->get<double>() * 1000;
        if (ms >= std::ldexp(1.0, 62)) fail(key, "is too long for a duration");
        return std::chrono::milliseconds(static_cast<std::int64_t>(ms));
    }
    if (v->is_string()) {
        if (auto d = util::parse_duration(v->get<std::string>())) return d;
    }
    fail(key, "expected a duration such as \"30s\", \"5m\" or \"250ms\"");
}

std::optional<std::vector<std::string>> JsonReader::string_list(std::string_view key) {
    const auto* v = find(key);
    if (v == nullptr) return std::nullopt;
    if (!v->is_array()) fail(key, "expected an array of strings, got " + json_type_name(*v));
    std::vector<std::string> out;
    for (std::size_t i = 0; i < v->size(); ++i) {
        const auto& item = (*v)[i];
        if (!item.is_string()) {
            throw ConfigError(file_, path_of(key) + "[" + std::to_string(i) + "]",
                              "expected a string, got " + json_type_name(item));
        }
        out.push_back(item.get<std::string>());
    }
    return out;
}

std::optional<std::map<std::string, std::string>> JsonReader::string_map(std::string_view key) {
    const auto* v = find(key);
    if (v == nullptr) return std::nullopt;
    if (!v->is_object()) fail(key, "expected an object of strings, got " + json_type_name(*v));
    std::map<std::string, std::string> out;
    for (const auto& [k, item] : v->items()) {
        if (!item.is_string()) {
            throw ConfigError(file_, path_of(key) + "." + k,
                              "expected a string, got " + json_type_name(item));
        }
        out.emplace(k, item.get<std::string>());
    }
    return out;
}

std::optional<JsonReader> JsonReader::object(std::string_view key) {
    const auto* v = find(key);
    if (v == nullptr) return std::nullopt;
    return JsonReader(*v, file_, path_of(key));
}

void JsonReader::ignore(std::initializer_list<std::string_view> keys,
                        std::vector<std::string>& warnings) {
    for (const auto key : keys) {
        if (find(key) != nullptr) {
            warnings.push_back(path_of(key) + " is accepted for compatibility and ignored");
        }
    }
}

void JsonReader::declare(std::initializer_list<std::string_view> keys) {
    for (const auto key : keys) known_.emplace(key);
}

void JsonReader::finish() const {
    for (const auto& [key, value] : object_.items()) {
        if (known_.contains(key)) continue;
        std::vector<std::string_view> candidates(known_.begin(), known_.end());
        std::string problem = "unknown key";
        if (auto near = util::closest_match(key, candidates)) {
            problem += " (did you mean \"" + *near + "\"?)";
        }
        throw ConfigError(file_, path_of(key), problem);
    }
}

}  // namespace mcpproxy::config
