#pragma once

#include <sys/types.h>

namespace mcpproxy::process {

// Sends `signal` to every process in group `pgid`. Returns false when the group has no members.
bool signal_process_group(pid_t pgid, int signal) noexcept;

// True while group `pgid` has a member that is not a zombie. Orphaned zombies count as gone: under
// an init that never reaps (common in containers) they would otherwise look alive forever.
bool process_group_has_live_members(pid_t pgid) noexcept;

}  // namespace mcpproxy::process
