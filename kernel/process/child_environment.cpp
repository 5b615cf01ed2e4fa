#include "kernel/process/child_environment.hpp"

#include <unistd.h>

#include <string_view>

namespace mcpproxy::process {

ChildEnvironment::ChildEnvironment(const std::map<std::string, std::string>& overrides) {
    for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
        const std::string_view text(*entry);
        const auto equals = text.find('=');
        if (equals == std::string_view::npos) continue;
        if (overrides.contains(std::string(text.substr(0, equals)))) continue;
        if (text.substr(0, equals) == "PATH") search_path_ = std::string(text.substr(equals + 1));
        entries_.emplace_back(text);
    }
    for (const auto& [name, value] : overrides) {
        if (name == "PATH") search_path_ = value;
        entries_.push_back(name + "=" + value);
    }
    pointers_.reserve(entries_.size() + 1);
    for (auto& entry : entries_) pointers_.push_back(entry.data());
    pointers_.push_back(nullptr);
}

}  // namespace mcpproxy::process
