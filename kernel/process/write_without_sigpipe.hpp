#pragma once

#include <sys/types.h>

#include <cstddef>

namespace mcpproxy::process {

// write(2) that reports EPIPE instead of raising SIGPIPE, without touching the process-wide signal
// disposition: SIGPIPE from write() is directed at the calling thread, so it is blocked in this
// thread (from its first call on) and a SIGPIPE the call raised is consumed. Returns bytes written
// or -errno.
ssize_t write_without_sigpipe(int fd, const void* data, std::size_t size) noexcept;

}  // namespace mcpproxy::process
