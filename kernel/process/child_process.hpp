#pragma once

#include <sys/types.h>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/experimental/concurrent_channel.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "kernel/process/line_reader.hpp"
#include "kernel/process/spawn_options.hpp"
#include "kernel/process/unique_fd.hpp"

namespace mcpproxy::process {

// One running child process in its own process group. The exit is noticed through a pidfd (no
// SIGCHLD handler) and the child is reaped at once, so it never stays a zombie.
//
// Threading: pid(), exit_code(), signal_group() and kill_now() are safe from any thread.
// async_write()/close_stdin() may be awaited by several coroutines at once (writes are queued).
// wait_exit()/terminate() may be awaited by several coroutines at once. Each LineReader serves one
// reader at a time. Keep the shared_ptr while using the readers.
//
// Destroying the last shared_ptr while the process still runs SIGKILLs its group and reaps it.
class ChildProcess : public std::enable_shared_from_this<ChildProcess> {
    struct Passkey {};

public:
    // Throws std::runtime_error / std::system_error when the program cannot be found or started.
    static std::shared_ptr<ChildProcess> spawn(boost::asio::any_io_executor executor,
                                               const SpawnOptions& options);

    ChildProcess(Passkey, boost::asio::any_io_executor executor, const SpawnOptions& options);
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;
    ~ChildProcess();

    [[nodiscard]] pid_t pid() const noexcept { return pid_; }

    // Writes all of data to the child's stdin; concurrent calls are written one after the other.
    // Throws boost::system::system_error (e.g. broken_pipe once the child is gone).
    boost::asio::awaitable<void> async_write(std::string data);
    // Closes stdin (EOF for the child) after the writes already queued.
    boost::asio::awaitable<void> close_stdin();

    // Line readers for piped stdout/stderr; std::logic_error when the stream is not piped.
    LineReader& stdout_lines();
    LineReader& stderr_lines();

    // The exit status, or 128 + signal number; -1 if someone else reaped the child.
    boost::asio::awaitable<int> wait_exit();
    [[nodiscard]] std::optional<int> exit_code() const;

    // Sends signal to the process and to its whole group (also to members left after it exited).
    void signal_group(int signal);

    // SIGTERM to the group, wait up to grace for the process and the rest of its group to end,
    // then SIGKILL to the group. Also tidies the group of a process that has already exited.
    // Returns the exit code.
    boost::asio::awaitable<int> terminate(std::chrono::milliseconds grace);

    // terminate() done synchronously on the calling thread (polls; no io thread needed). For
    // shutdown paths where the io threads do not run or must not be waited for.
    int terminate_blocking(std::chrono::milliseconds grace);

    // SIGKILL to the group and reap now, blocking this thread (briefly).
    void kill_now();

private:
    void watch_exit();
    void poll_exit();
    // Reaps the child if it has exited; returns true when it has been reaped.
    bool try_reap(bool block);
    // True while the process group has live members besides the reaped leader.
    bool group_alive();

    boost::asio::any_io_executor executor_;
    pid_t pid_ = 0;
    std::optional<boost::asio::posix::stream_descriptor> stdin_;
    std::optional<LineReader> stdout_;
    std::optional<LineReader> stderr_;
    std::optional<boost::asio::posix::stream_descriptor> pidfd_;
    std::optional<boost::asio::steady_timer> poll_timer_;  // when pidfd_open is not available
    // A one-slot channel used as a lock: holding its slot means owning stdin.
    boost::asio::experimental::concurrent_channel<void(boost::system::error_code)> stdin_lock_;
    // Closed once the child has been reaped: wakes every waiter in wait_exit().
    boost::asio::experimental::concurrent_channel<void(boost::system::error_code)> exited_;

    mutable std::mutex reap_mutex_;
    std::optional<int> exit_code_;  // guarded by reap_mutex_
    bool group_gone_ = false;       // guarded by reap_mutex_
};

}  // namespace mcpproxy::process
