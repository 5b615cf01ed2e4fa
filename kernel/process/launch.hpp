#pragma once

#include <sys/types.h>

#include "kernel/process/spawn_options.hpp"
#include "kernel/process/unique_fd.hpp"

namespace mcpproxy::process {

// A freshly started child: its pid (also its process group id) and our ends of its pipes
// (invalid where the stream is not piped). All our ends are close-on-exec.
struct LaunchedChild {
    pid_t pid = 0;
    UniqueFd stdin_write;
    UniqueFd stdout_read;
    UniqueFd stderr_read;
};

// Starts options.argv with posix_spawn in a new process group, default signal dispositions (glibc
// leaves only its two internal real-time signals ignored), an empty signal mask and no inherited
// descriptors besides 0, 1 and 2; the group is listed with the orphan guard (orphan_guard.hpp) when
// it is enabled. Throws std::runtime_error
// (program not found, missing working directory) or std::system_error ("cannot start X: ...").
// Error texts name the program and the directory, never environment values.
LaunchedChild launch(const SpawnOptions& options);

}  // namespace mcpproxy::process
