#include "kernel/process/program_lookup.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <stdexcept>

namespace mcpproxy::process {
namespace {

bool is_executable_file(const std::string& path) {
    struct stat info {};
    return ::stat(path.c_str(), &info) == 0 && S_ISREG(info.st_mode) &&
           ::access(path.c_str(), X_OK) == 0;
}

}  // namespace

std::optional<std::string> find_on_path(std::string_view program, std::string_view search_path) {
    if (program.empty()) return std::nullopt;
    std::size_t begin = 0;
    while (begin <= search_path.size()) {
        std::size_t end = search_path.find(':', begin);
        if (end == std::string_view::npos) end = search_path.size();
        std::string candidate(search_path.substr(begin, end - begin));
        if (candidate.empty()) candidate = ".";
        if (candidate.back() != '/') candidate += '/';
        candidate += program;
        if (is_executable_file(candidate)) return candidate;
        begin = end + 1;
    }
    return std::nullopt;
}

std::string resolve_program(const std::string& program, std::string_view search_path) {
    if (program.find('/') != std::string::npos) return program;
    if (auto found = find_on_path(program, search_path)) return *found;
    throw std::runtime_error("program not found on PATH: " + program);
}

}  // namespace mcpproxy::process
