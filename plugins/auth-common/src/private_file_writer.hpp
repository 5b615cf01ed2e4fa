#pragma once

#include <filesystem>
#include <string_view>

namespace mcpproxy::auth_common {

// Writes contents atomically (temp file in the same directory, fsync, rename, fsync of the
// directory) with the given mode, whatever the umask. Throws std::runtime_error naming the path.
void write_file_atomically(const std::filesystem::path& path, std::string_view contents,
                           unsigned mode = 0600);

}  // namespace mcpproxy::auth_common
