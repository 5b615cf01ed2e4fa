#pragma once

#include <stdexcept>
#include <string>

namespace mcpproxy::config {

// A configuration problem: which file, which JSON path ("$.mcpServers[2].command"), what is wrong.
class ConfigError : public std::runtime_error {
public:
    ConfigError(std::string file, std::string json_path, std::string problem);
    [[nodiscard]] const std::string& file() const { return file_; }
    [[nodiscard]] const std::string& json_path() const { return json_path_; }
    [[nodiscard]] const std::string& problem() const { return problem_; }

private:
    std::string file_;
    std::string json_path_;
    std::string problem_;
};

}  // namespace mcpproxy::config
