#pragma once

#include <filesystem>
#include <string>

namespace mcpproxy::test {

// A fresh directory under /tmp, removed with everything in it when this object dies.
class TempDir {
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    [[nodiscard]] const std::filesystem::path& path() const { return path_; }
    [[nodiscard]] std::filesystem::path operator/(const std::string& name) const {
        return path_ / name;
    }
    void write(const std::string& name, const std::string& contents) const;

private:
    std::filesystem::path path_;
};

}  // namespace mcpproxy::test
