#pragma once

#include <atomic>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <functional>
#include <memory>
#include <mutex>
#include <string_view>
#include <vector>

#include "kernel/process/backoff.hpp"
#include "kernel/process/child_process.hpp"
#include "kernel/process/supervisor_options.hpp"
#include "mcpproxy/sdk/process.hpp"

namespace mcpproxy::process {

// Runs one supervised process: start, relay output lines, notice the exit, tidy its group, restart
// after a back-off, stop on request. All of its state and all callbacks live on one strand; the
// public members are safe from any thread. The coroutine keeps the object alive until it ends.
class SupervisionLoop : public std::enable_shared_from_this<SupervisionLoop> {
public:
    SupervisionLoop(boost::asio::any_io_executor executor, sdk::ProcessSpec spec,
                    std::shared_ptr<sdk::ProcessEvents> events, SupervisorOptions options);

    // Starts the first process; throws when it cannot be started.
    void start();
    // See Supervisor for when these wait.
    void stop();
    void restart();

    [[nodiscard]] int pid() const noexcept { return pid_.load(); }
    [[nodiscard]] unsigned restarts() const noexcept { return restarts_.load(); }
    [[nodiscard]] bool running() const noexcept { return pid_.load() != 0; }

private:
    using Waiter = std::function<void()>;

    static boost::asio::awaitable<void> run(std::shared_ptr<SupervisionLoop> self,
                                            std::shared_ptr<ChildProcess> child);
    boost::asio::awaitable<int> supervise(std::shared_ptr<ChildProcess> child);
    boost::asio::awaitable<void> relay_lines(std::shared_ptr<ChildProcess> child,
                                             sdk::OutputStream stream);
    boost::asio::awaitable<void> linger_after_exit(std::shared_ptr<ChildProcess> child);
    boost::asio::awaitable<std::shared_ptr<ChildProcess>> respawn(bool at_once);

    std::shared_ptr<ChildProcess> spawn_child() const;
    void launch_loop(std::shared_ptr<ChildProcess> child);
    void on_child_started(const std::shared_ptr<ChildProcess>& child);
    void on_child_gone();
    void on_loop_ended();

    // Strand only.
    void begin_stop();
    void begin_restart(Waiter on_started);
    void when_idle(Waiter waiter);
    void diagnose(std::string_view message) const;
    template <class Callback>
    void notify(std::string_view what, Callback&& callback) const;

    boost::asio::any_io_executor executor_;
    boost::asio::strand<boost::asio::any_io_executor> strand_;
    sdk::ProcessSpec spec_;
    std::shared_ptr<sdk::ProcessEvents> events_;
    SupervisorOptions options_;
    Backoff backoff_;
    boost::asio::steady_timer backoff_timer_;

    // Strand only.
    std::shared_ptr<ChildProcess> child_;
    bool loop_active_ = false;
    bool waiting_backoff_ = false;
    bool restart_requested_ = false;
    bool terminate_sent_ = false;
    std::vector<Waiter> idle_waiters_;
    std::vector<Waiter> start_waiters_;

    // Any thread.
    std::atomic<bool> stop_requested_{false};
    std::atomic<int> pid_{0};
    std::atomic<unsigned> restarts_{0};
    mutable std::mutex current_mutex_;
    std::shared_ptr<ChildProcess> current_;  // for stopping without the io threads
};

}  // namespace mcpproxy::process
