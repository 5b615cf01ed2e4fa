#pragma once

#include <map>
#include <string>
#include <vector>

namespace mcpproxy::process {

// The environment block for a child: this process's environment with `overrides` added or
// replaced. Holds the strings and the null-terminated pointer array posix_spawn wants.
class ChildEnvironment {
public:
    explicit ChildEnvironment(const std::map<std::string, std::string>& overrides);
    ChildEnvironment(const ChildEnvironment&) = delete;
    ChildEnvironment& operator=(const ChildEnvironment&) = delete;

    [[nodiscard]] char* const* data() const noexcept { return pointers_.data(); }
    // The PATH the child will see (used to find argv[0]); a standard list when PATH is unset.
    [[nodiscard]] const std::string& search_path() const noexcept { return search_path_; }

private:
    std::vector<std::string> entries_;
    std::vector<char*> pointers_;
    std::string search_path_ = "/usr/local/bin:/usr/bin:/bin";
};

}  // namespace mcpproxy::process
