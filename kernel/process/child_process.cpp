#include "kernel/process/child_process.hpp"

#include <fcntl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/system/system_error.hpp>
#include <cerrno>
#include <csignal>
#include <stdexcept>
#include <thread>

#include "kernel/process/launch.hpp"
#include "kernel/process/orphan_guard.hpp"
#include "kernel/process/process_group.hpp"
#include "kernel/process/write_without_sigpipe.hpp"

namespace mcpproxy::process {
namespace asio = boost::asio;
using namespace std::chrono_literals;

namespace {

constexpr auto kExitPollInterval = 50ms;   // only without pidfd support
constexpr auto kGroupPollInterval = 20ms;  // while the rest of a group winds down

int decode_wait_status(int status) {
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
    return -1;
}

UniqueFd open_pidfd(pid_t pid) {
    // pidfd_open sets O_CLOEXEC on the descriptor it returns.
    return UniqueFd(static_cast<int>(::syscall(SYS_pidfd_open, pid, 0)));
}

void set_nonblocking(int fd) {
    const int flags = ::fcntl(fd, F_GETFL);
    if (flags >= 0) ::fcntl(fd, F_SETFL, flags | O_NONBLOCK);
}

// Gives the stdin lock back when the holder leaves its scope, also by exception.
class StdinLockHolder {
public:
    using Channel = asio::experimental::concurrent_channel<void(boost::system::error_code)>;
    explicit StdinLockHolder(Channel& lock) : lock_(lock) {}
    StdinLockHolder(const StdinLockHolder&) = delete;
    StdinLockHolder& operator=(const StdinLockHolder&) = delete;
    ~StdinLockHolder() {
        lock_.try_receive([](boost::system::error_code) {});
    }

private:
    Channel& lock_;
};

}  // namespace

std::shared_ptr<ChildProcess> ChildProcess::spawn(asio::any_io_executor executor,
                                                  const SpawnOptions& options) {
    auto child = std::make_shared<ChildProcess>(Passkey{}, executor, options);
    child->watch_exit();
    return child;
}

ChildProcess::ChildProcess(Passkey, asio::any_io_executor executor, const SpawnOptions& options)
    : executor_(executor), stdin_lock_(executor, 1), exited_(executor, 0) {
    LaunchedChild launched = launch(options);
    pid_ = launched.pid;
    try {
        if (launched.stdin_write.valid()) {
            set_nonblocking(launched.stdin_write.get());
            stdin_.emplace(executor, launched.stdin_write.get());
            launched.stdin_write.release();
        }
        if (launched.stdout_read.valid()) {
            stdout_.emplace(asio::posix::stream_descriptor(executor, launched.stdout_read.get()),
                            options.max_stdout_line);
            launched.stdout_read.release();
        }
        if (launched.stderr_read.valid()) {
            stderr_.emplace(asio::posix::stream_descriptor(executor, launched.stderr_read.get()),
                            options.max_stderr_line);
            launched.stderr_read.release();
        }
        if (UniqueFd pidfd = open_pidfd(pid_); pidfd.valid()) {
            pidfd_.emplace(executor, pidfd.get());
            pidfd.release();
        } else {
            poll_timer_.emplace(executor);
        }
    } catch (...) {
        kill_now();
        unguard_process_group(pid_);
        throw;
    }
}

ChildProcess::~ChildProcess() {
    if (!exit_code()) {
        kill_now();  // the whole group, with SIGKILL: nothing of it is left to guard
    } else if (group_alive()) {
        return;  // members outlived the leader: the orphan guard still ends them if we crash
    }
    unguard_process_group(pid_);
}

void ChildProcess::watch_exit() {
    if (!pidfd_) {
        poll_exit();
        return;
    }
    pidfd_->async_wait(asio::posix::stream_descriptor::wait_read,
                       [weak = weak_from_this()](boost::system::error_code error) {
                           auto self = weak.lock();
                           if (!self || error == asio::error::operation_aborted) return;
                           if (self->try_reap(false)) return;
                           if (error) {
                               self->poll_timer_.emplace(self->executor_);
                               self->poll_exit();
                           } else {
                               self->watch_exit();
                           }
                       });
}

void ChildProcess::poll_exit() {
    poll_timer_->expires_after(kExitPollInterval);
    poll_timer_->async_wait([weak = weak_from_this()](boost::system::error_code error) {
        auto self = weak.lock();
        if (!self || error == asio::error::operation_aborted) return;
        if (!self->try_reap(false)) self->poll_exit();
    });
}

bool ChildProcess::try_reap(bool block) {
    {
        std::lock_guard lock(reap_mutex_);
        if (exit_code_) return true;
        int status = 0;
        pid_t reaped = 0;
        do {
            reaped = ::waitpid(pid_, &status, block ? 0 : WNOHANG);
        } while (reaped < 0 && errno == EINTR);
        if (reaped == pid_) {
            exit_code_ = decode_wait_status(status);
        } else if (reaped < 0 && errno == ECHILD) {
            exit_code_ = -1;  // reaped by someone else (a foreign waitpid(-1)); status unknown
        } else {
            return false;
        }
    }
    exited_.close();
    return true;
}

std::optional<int> ChildProcess::exit_code() const {
    std::lock_guard lock(reap_mutex_);
    return exit_code_;
}

LineReader& ChildProcess::stdout_lines() {
    if (!stdout_) throw std::logic_error("the child's stdout is not piped");
    return *stdout_;
}

LineReader& ChildProcess::stderr_lines() {
    if (!stderr_) throw std::logic_error("the child's stderr is not piped");
    return *stderr_;
}

asio::awaitable<void> ChildProcess::async_write(std::string data) {
    auto self = shared_from_this();
    if (!stdin_) throw std::logic_error("the child's stdin is not piped");
    co_await stdin_lock_.async_send(boost::system::error_code{}, asio::use_awaitable);
    StdinLockHolder holder(stdin_lock_);
    std::size_t done = 0;
    while (done < data.size()) {
        if (!stdin_->is_open()) throw boost::system::system_error(asio::error::broken_pipe);
        const ssize_t written =
            write_without_sigpipe(stdin_->native_handle(), data.data() + done, data.size() - done);
        if (written >= 0) {
            done += static_cast<std::size_t>(written);
        } else if (written == -EAGAIN || written == -EWOULDBLOCK) {
            co_await stdin_->async_wait(asio::posix::stream_descriptor::wait_write,
                                        asio::use_awaitable);
        } else {
            throw boost::system::system_error(boost::system::error_code(
                static_cast<int>(-written), boost::system::system_category()));
        }
    }
}

asio::awaitable<void> ChildProcess::close_stdin() {
    auto self = shared_from_this();
    if (!stdin_) co_return;
    co_await stdin_lock_.async_send(boost::system::error_code{}, asio::use_awaitable);
    StdinLockHolder holder(stdin_lock_);
    boost::system::error_code ignored;
    stdin_->close(ignored);
}

asio::awaitable<int> ChildProcess::wait_exit() {
    auto self = shared_from_this();
    if (auto code = exit_code()) co_return *code;
    auto [error] = co_await exited_.async_receive(asio::as_tuple(asio::use_awaitable));
    if (auto code = exit_code()) co_return *code;
    throw boost::system::system_error(error ? error : asio::error::operation_aborted);
}

void ChildProcess::signal_group(int signal) {
    std::lock_guard lock(reap_mutex_);
    // Until reaped, the pid cannot be reused, so signalling it directly is safe; it also reaches a
    // child that moved itself to another group.
    if (!exit_code_) ::kill(pid_, signal);
    if (!group_gone_) signal_process_group(pid_, signal);
}

bool ChildProcess::group_alive() {
    {
        std::lock_guard lock(reap_mutex_);
        if (group_gone_) return false;
    }
    if (process_group_has_live_members(pid_)) return true;
    {
        std::lock_guard lock(reap_mutex_);
        group_gone_ = true;
    }
    // Nothing of the group runs: the guard must not signal its id once the pid is reused.
    unguard_process_group(pid_);
    return false;
}

asio::awaitable<int> ChildProcess::terminate(std::chrono::milliseconds grace) {
    using namespace asio::experimental::awaitable_operators;
    auto self = shared_from_this();
    const auto executor = co_await asio::this_coro::executor;
    const auto deadline = std::chrono::steady_clock::now() + grace;

    if (!exit_code() || group_alive()) signal_group(SIGTERM);
    if (!exit_code()) {
        asio::steady_timer timer(executor, deadline);
        co_await (wait_exit() || timer.async_wait(asio::use_awaitable));
        if (!exit_code()) {
            signal_group(SIGKILL);
            co_await wait_exit();
        }
    }
    // The leader is reaped now, so it no longer hides whether the rest of its group is gone.
    asio::steady_timer poll(executor);
    while (group_alive() && std::chrono::steady_clock::now() < deadline) {
        poll.expires_after(kGroupPollInterval);
        co_await poll.async_wait(asio::use_awaitable);
    }
    if (group_alive()) signal_group(SIGKILL);
    co_return *exit_code();
}

int ChildProcess::terminate_blocking(std::chrono::milliseconds grace) {
    const auto deadline = std::chrono::steady_clock::now() + grace;
    if (!exit_code() || group_alive()) signal_group(SIGTERM);
    while (!try_reap(false) && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(kGroupPollInterval);
    }
    if (!exit_code()) kill_now();
    while (group_alive() && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(kGroupPollInterval);
    }
    if (group_alive()) signal_group(SIGKILL);
    return *exit_code();
}

void ChildProcess::kill_now() {
    {
        std::lock_guard lock(reap_mutex_);
        if (exit_code_) return;
        ::kill(pid_, SIGKILL);
        signal_process_group(pid_, SIGKILL);
    }
    try_reap(true);
}

}  // namespace mcpproxy::process
