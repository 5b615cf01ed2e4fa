#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace mcpproxy::config {

// Reads one JSON object of a config file with typed accessors. Every error names the file and the
// JSON path; finish() rejects keys nobody asked for, suggesting the closest known key.
class JsonReader {
public:
    JsonReader(const nlohmann::json& object, std::string file, std::string path);

    std::optional<std::string> string(std::string_view key);
    std::optional<bool> boolean(std::string_view key);
    std::optional<std::int64_t> integer(std::string_view key, std::int64_t min, std::int64_t max);
    std::optional<double> number(std::string_view key, double min, double max);
    // A duration as "30s"/"5m"/"250ms" or a number of seconds.
    std::optional<std::chrono::milliseconds> duration(std::string_view key);
    std::optional<std::vector<std::string>> string_list(std::string_view key);
    std::optional<std::map<std::string, std::string>> string_map(std::string_view key);
    // The raw value (any type) for the caller to interpret; marks the key as known.
    const nlohmann::json* raw(std::string_view key);
    std::optional<JsonReader> object(std::string_view key);

    // Marks keys as accepted but ignored (compatibility with other tools' configs); each present
    // one is reported in warnings.
    void ignore(std::initializer_list<std::string_view> keys, std::vector<std::string>& warnings);
    // Declares keys as known before they are read, so finish() can run first and report a typo
    // ("comand") before a missing-key error would hide it.
    void declare(std::initializer_list<std::string_view> keys);
    // Throws for the first key that no accessor asked for.
    void finish() const;

    [[noreturn]] void fail(std::string_view key, const std::string& problem) const;
    [[nodiscard]] std::string path_of(std::string_view key) const;
    [[nodiscard]] const std::string& file() const { return file_; }
    [[nodiscard]] const std::string& path() const { return path_; }

private:
    const nlohmann::json* find(std::string_view key);

    const nlohmann::json& object_;
    std::string file_;
    std::string path_;
    std::set<std::string, std::less<>> known_;
};

std::string json_type_name(const nlohmann::json& value);

}  // namespace mcpproxy::config
