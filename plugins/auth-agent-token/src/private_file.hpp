#pragma once

#include <sys/types.h>

#include <filesystem>
#include <string>

namespace mcpproxy::agent_token {

// Creates the directory (mode 0700) when it does not exist yet; an existing one is left alone.
void ensure_private_dir(const std::filesystem::path& dir);

// Creates the file empty with mode 0600 when missing and tightens an existing one to 0600,
// independent of the umask. Refuses symlinks and anything that is not a regular file. Never opens
// an existing file, so SQLite connections of this process keep their locks on it.
void ensure_private_file(const std::filesystem::path& file);

// Flushes a directory entry change (create, link, rename) to disk.
void sync_directory(const std::filesystem::path& dir);

// "0644"
[[nodiscard]] std::string octal_mode(mode_t mode);

// "<what>: <strerror(errno)>"
[[nodiscard]] std::string errno_message(const std::string& what);

}  // namespace mcpproxy::agent_token
