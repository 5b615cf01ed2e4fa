#pragma once

#include <filesystem>
#include <string>

namespace agt_test {

// A fresh private directory under $TMPDIR, removed with everything in it on destruction.
class TempDir {
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    [[nodiscard]] const std::filesystem::path& path() const noexcept { return path_; }

private:
    std::filesystem::path path_;
};

// The whole file as bytes ("" when missing).
[[nodiscard]] std::string read_file_bytes(const std::filesystem::path& file);
// The permission bits, e.g. 0600.
[[nodiscard]] unsigned file_mode(const std::filesystem::path& file);

}  // namespace agt_test
