#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <memory>

#include "kernel/process/supervisor_options.hpp"
#include "mcpproxy/sdk/process.hpp"

namespace mcpproxy::process {

// The kernel's sdk::ProcessSupervisor: each spawned process runs in its own process group, its
// stdout and stderr are relayed line by line, it is restarted with capped exponential back-off
// after an exit, and stopped (TERM to the group, KILL after the grace) on request or when its
// handle is destroyed. The Supervisor owns nothing global and no threads: everything runs on the
// executor it is given (an io_context run by threads the caller owns). Handles may outlive the
// Supervisor; they must be destroyed before the io_context.
//
// Threading of the returned handle:
// - Callbacks of one process run on its own strand, never concurrently.
// - stop() blocks until the process and its group are gone and on_exited has been delivered. From
//   inside a callback of the same process it cannot wait: it starts the stop and returns; the
//   rest happens right after the callback. From an io thread of the same io_context, or when that
//   io_context is stopped, it stops the process synchronously on the calling thread (blocking for
//   up to the grace) without waiting for the callbacks.
// - restart() stops and starts again without back-off; it waits for the new start (not from
//   inside a callback or on an io thread, where it only starts the restart). restart() after
//   stop() starts the process again.
// - The destructor of a handle calls stop().
class Supervisor final : public sdk::ProcessSupervisor {
public:
    explicit Supervisor(boost::asio::any_io_executor executor, SupervisorOptions options = {});

    // Throws std::runtime_error (or std::system_error) when the program cannot be started.
    std::unique_ptr<sdk::SupervisedProcess> spawn(
        sdk::ProcessSpec spec, std::shared_ptr<sdk::ProcessEvents> events) override;

private:
    boost::asio::any_io_executor executor_;
    SupervisorOptions options_;
};

}  // namespace mcpproxy::process
