#pragma once

#include <sys/types.h>

namespace mcpproxy::process {

// Children must not outlive mcpproxy, also when it dies by SIGKILL or a crash, where no handler
// runs. PR_SET_PDEATHSIG cannot do it: posix_spawn has no hook to set it, it is tied to the
// spawning *thread* (an io thread ending would kill its children), and it reaches only the direct
// child, not the `npx` -> node grandchildren of a process group.
//
// Instead a small guard process (forked from this one; it then makes system calls only) holds one
// end of a socket pair and the process groups we started. When this process dies, however it
// dies, the kernel closes our end; the guard reads EOF, sends SIGTERM to every group still listed,
// SIGKILL after a second, and exits. The guard ignores terminal and termination signals and sits
// in its own process group so that it outlives an orderly shutdown by a moment; it exits at once
// when nothing is listed.
//
// Off until enable_orphan_guard() is called (the mcpproxy binary does, test binaries that count
// their own children and descriptors do not). The guard is started with the first watched group
// and started again if it was killed.
void enable_orphan_guard() noexcept;

// Lists / unlists the process group pgid with the guard. No-ops while disabled. Thread-safe.
void guard_process_group(pid_t pgid) noexcept;
void unguard_process_group(pid_t pgid) noexcept;

// The guard's pid, 0 while none runs (for tests).
pid_t orphan_guard_pid() noexcept;

}  // namespace mcpproxy::process
