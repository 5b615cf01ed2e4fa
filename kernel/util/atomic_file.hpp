#pragma once

#include <filesystem>
#include <string_view>

namespace mcpproxy::util {

// Writes contents to path atomically: a temp file in the same directory, fsync, rename, fsync of
// the directory. mode applies to the final file (0600 for anything secret). Throws on failure.
void write_file_atomically(const std::filesystem::path& path, std::string_view contents,
                           unsigned mode = 0600);

// Creates a directory (and parents) if missing, and makes it mode 0700 when it was created here.
void ensure_private_directory(const std::filesystem::path& dir);

}  // namespace mcpproxy::util
