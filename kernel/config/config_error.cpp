#include "kernel/config/config_error.hpp"

namespace mcpproxy::config {
namespace {
std::string render(const std::string& file, const std::string& path, const std::string& problem) {
    std::string out = "config error: ";
    out += file.empty() ? "<command line>" : file;
    if (!path.empty()) out += ": " + path;
    out += ": " + problem;
    return out;
}
}  // namespace

ConfigError::ConfigError(std::string file, std::string json_path, std::string problem)
    : std::runtime_error(render(file, json_path, problem)),
      file_(std::move(file)),
      json_path_(std::move(json_path)),
      problem_(std::move(problem)) {}

}  // namespace mcpproxy::config
