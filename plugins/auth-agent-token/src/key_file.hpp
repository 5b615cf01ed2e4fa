#pragma once

#include <filesystem>
#include <optional>

#include "token_key.hpp"

namespace mcpproxy::agent_token {

inline constexpr const char* kKeyFileName = "token.key";

// Reads a key file: exactly 32 bytes, a regular file (not a symlink), no group/other permission
// bits. Returns nullopt when the file does not exist; throws with the fix when it is unusable.
[[nodiscard]] std::optional<TokenKey> read_key_file(const std::filesystem::path& file);

// Returns the key in file, creating it first when missing: 32 CSPRNG bytes written to a temp file
// (mode 0600, fsync) and then linked into place, so concurrent creators (CLI and proxy) never
// clobber each other and all end up with the same key.
[[nodiscard]] TokenKey load_or_create_key_file(const std::filesystem::path& file);

}  // namespace mcpproxy::agent_token
