#pragma once

#include <filesystem>
#include <string_view>

namespace mcpproxy::tunnel_anthropic {

// Writes contents atomically with the given mode from the first byte (a temp file created with
// that mode in the same folder, fsync, rename): a key is never readable by others, even briefly.
void write_file_atomically(const std::filesystem::path& path, std::string_view contents,
                           unsigned mode);

}  // namespace mcpproxy::tunnel_anthropic
