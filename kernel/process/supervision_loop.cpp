#include "kernel/process/supervision_loop.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/system/system_error.hpp>
#include <future>
#include <string>
#include <utility>

namespace mcpproxy::process {
namespace asio = boost::asio;
using namespace std::chrono_literals;

namespace {

// How much longer than the stop grace a blocking stop() waits for the io threads.
constexpr auto kStopSlack = 3s;

// True when waiting for the io threads could hang: the io_context is stopped, or this very thread
// is one of its io threads (possibly the only one).
bool cannot_wait_for_io(const asio::any_io_executor& executor) {
    const auto* io = executor.target<asio::io_context::executor_type>();
    if (io == nullptr) return false;
    if (io->running_in_this_thread()) return true;
    return asio::query(*io, asio::execution::context).stopped();
}

asio::awaitable<void> terminate_quietly(std::shared_ptr<ChildProcess> child,
                                        std::chrono::milliseconds grace) {
    try {
        co_await child->terminate(grace);
    } catch (const std::exception&) {
        // The supervision loop notices the exit on its own; nothing to report from here.
    }
}

SpawnOptions spawn_options_for(const sdk::ProcessSpec& spec, const SupervisorOptions& options) {
    SpawnOptions spawn;
    spawn.argv = spec.argv;
    spawn.env = spec.env;
    spawn.working_dir = spec.working_dir;
    spawn.stdin_mode = Stdio::null;
    spawn.max_stdout_line = options.max_stdout_line;
    spawn.max_stderr_line = options.max_stderr_line;
    return spawn;
}

void release(std::vector<std::function<void()>>& waiters) {
    auto taken = std::exchange(waiters, {});
    for (auto& waiter : taken) waiter();
}

}  // namespace

SupervisionLoop::SupervisionLoop(asio::any_io_executor executor, sdk::ProcessSpec spec,
                                 std::shared_ptr<sdk::ProcessEvents> events,
                                 SupervisorOptions options)
    : executor_(executor),
      strand_(asio::make_strand(executor)),
      spec_(std::move(spec)),
      events_(events ? std::move(events) : std::make_shared<sdk::ProcessEvents>()),
      options_(std::move(options)),
      backoff_(spec_.backoff_initial, spec_.backoff_max, options_.backoff_reset_after),
      backoff_timer_(strand_) {}

std::shared_ptr<ChildProcess> SupervisionLoop::spawn_child() const {
    return ChildProcess::spawn(strand_, spawn_options_for(spec_, options_));
}

void SupervisionLoop::start() {
    auto child = spawn_child();
    pid_ = child->pid();
    {
        std::lock_guard lock(current_mutex_);
        current_ = child;
    }
    loop_active_ = true;  // nothing else sees this object yet
    asio::co_spawn(strand_, run(shared_from_this(), std::move(child)), asio::detached);
}

void SupervisionLoop::launch_loop(std::shared_ptr<ChildProcess> child) {
    loop_active_ = true;
    asio::co_spawn(strand_, run(shared_from_this(), std::move(child)), asio::detached);
}

asio::awaitable<void> SupervisionLoop::run(std::shared_ptr<SupervisionLoop> self,
                                           std::shared_ptr<ChildProcess> child) {
    try {
        while (child) {
            self->on_child_started(child);
            const auto began = std::chrono::steady_clock::now();
            const int code = co_await self->supervise(child);
            self->on_child_gone();
            child.reset();
            self->backoff_.record_uptime(std::chrono::steady_clock::now() - began);
            const bool restart_now = std::exchange(self->restart_requested_, false);
            const bool will_restart =
                !self->stop_requested_ && (restart_now || self->spec_.restart_on_exit);
            self->notify("on_exited", [&] { self->events_->on_exited(code, will_restart); });
            if (!will_restart) break;
            child = co_await self->respawn(restart_now);
            if (child) ++self->restarts_;
        }
    } catch (const std::exception& error) {
        // Never leave a process running without supervision.
        if (child) child->kill_now();
        self->on_child_gone();
        self->diagnose(std::string("supervision ended: ") + error.what());
    }
    self->on_loop_ended();
}

asio::awaitable<int> SupervisionLoop::supervise(std::shared_ptr<ChildProcess> child) {
    using namespace asio::experimental::awaitable_operators;
    co_await ((relay_lines(child, sdk::OutputStream::stdout_stream) &&
               relay_lines(child, sdk::OutputStream::stderr_stream)) ||
              linger_after_exit(child));
    // Output can end before the process does (it closed its stdout and stderr).
    co_await child->wait_exit();
    co_return co_await child->terminate(spec_.stop_grace);
}

asio::awaitable<void> SupervisionLoop::relay_lines(std::shared_ptr<ChildProcess> child,
                                                   sdk::OutputStream stream) {
    LineReader& reader =
        stream == sdk::OutputStream::stdout_stream ? child->stdout_lines() : child->stderr_lines();
    try {
        while (auto line = co_await reader.read_line()) {
            if (reader.last_line_truncated()) {
                diagnose("an output line longer than " + std::to_string(reader.max_line()) +
                         " bytes was cut");
            }
            notify("on_line", [&] { events_->on_line(stream, *line); });
        }
    } catch (const boost::system::system_error&) {
        // Cancelled after the exit, or the pipe failed: the exit decides what happens next.
    }
}

asio::awaitable<void> SupervisionLoop::linger_after_exit(std::shared_ptr<ChildProcess> child) {
    co_await child->wait_exit();
    // Whatever the process left in its group still holds the pipes open; tidy it first.
    co_await child->terminate(spec_.stop_grace);
    asio::steady_timer drain(co_await asio::this_coro::executor, options_.output_drain);
    co_await drain.async_wait(asio::use_awaitable);
}

asio::awaitable<std::shared_ptr<ChildProcess>> SupervisionLoop::respawn(bool at_once) {
    for (bool first = true;; first = false) {
        if (stop_requested_) co_return nullptr;
        if (!(at_once && first)) {
            const auto delay = backoff_.next_delay();
            diagnose("restarting in " + std::to_string(delay.count()) + " ms");
            backoff_timer_.expires_after(delay);
            waiting_backoff_ = true;
            co_await backoff_timer_.async_wait(asio::as_tuple(asio::use_awaitable));
            waiting_backoff_ = false;
            if (stop_requested_) co_return nullptr;
        }
        restart_requested_ = false;
        try {
            auto child = spawn_child();
            pid_ = child->pid();
            std::lock_guard lock(current_mutex_);
            current_ = child;
            co_return child;
        } catch (const std::exception& error) {
            diagnose(std::string("cannot restart: ") + error.what());
        }
        release(start_waiters_);
    }
}

void SupervisionLoop::on_child_started(const std::shared_ptr<ChildProcess>& child) {
    child_ = child;
    terminate_sent_ = false;
    pid_ = child->pid();
    {
        std::lock_guard lock(current_mutex_);
        current_ = child;
    }
    notify("on_started", [&] { events_->on_started(child->pid()); });
    release(start_waiters_);
}

void SupervisionLoop::on_child_gone() {
    child_.reset();
    pid_ = 0;
    std::lock_guard lock(current_mutex_);
    current_.reset();
}

void SupervisionLoop::on_loop_ended() {
    loop_active_ = false;
    release(start_waiters_);
    release(idle_waiters_);
}

void SupervisionLoop::when_idle(Waiter waiter) {
    if (loop_active_) {
        idle_waiters_.push_back(std::move(waiter));
    } else {
        waiter();
    }
}

void SupervisionLoop::begin_stop() {
    stop_requested_ = true;
    restart_requested_ = false;
    backoff_timer_.cancel();
    if (child_ && !terminate_sent_) {
        terminate_sent_ = true;
        asio::co_spawn(strand_, terminate_quietly(child_, spec_.stop_grace), asio::detached);
    }
}

void SupervisionLoop::begin_restart(Waiter on_started) {
    if (on_started) start_waiters_.push_back(std::move(on_started));
    backoff_.reset();
    if (!loop_active_) {
        stop_requested_ = false;
        std::shared_ptr<ChildProcess> child;
        try {
            child = spawn_child();
        } catch (const std::exception& error) {
            diagnose(std::string("cannot restart: ") + error.what());
            release(start_waiters_);
            return;
        }
        pid_ = child->pid();
        ++restarts_;
        launch_loop(std::move(child));
        return;
    }
    if (stop_requested_) {  // a stop is under way: start again once it is done
        when_idle([self = shared_from_this()] { self->begin_restart({}); });
        return;
    }
    restart_requested_ = true;
    if (waiting_backoff_) {
        backoff_timer_.cancel();
    } else if (child_ && !terminate_sent_) {
        terminate_sent_ = true;
        asio::co_spawn(strand_, terminate_quietly(child_, spec_.stop_grace), asio::detached);
    }
}

void SupervisionLoop::stop() {
    stop_requested_ = true;  // even if the strand never runs again, nothing restarts
    if (strand_.running_in_this_thread()) {
        begin_stop();
        return;
    }
    auto done = std::make_shared<std::promise<void>>();
    auto finished = done->get_future();
    asio::post(strand_, [self = shared_from_this(), done] {
        self->begin_stop();
        self->when_idle([done] { done->set_value(); });
    });
    if (!cannot_wait_for_io(executor_) &&
        finished.wait_for(spec_.stop_grace + kStopSlack) == std::future_status::ready) {
        return;
    }
    std::shared_ptr<ChildProcess> child;
    {
        std::lock_guard lock(current_mutex_);
        child = current_;
    }
    if (child) child->terminate_blocking(spec_.stop_grace);
}

void SupervisionLoop::restart() {
    if (strand_.running_in_this_thread()) {
        begin_restart({});
        return;
    }
    auto done = std::make_shared<std::promise<void>>();
    auto started = done->get_future();
    asio::post(strand_, [self = shared_from_this(), done] {
        self->begin_restart([done] { done->set_value(); });
    });
    if (cannot_wait_for_io(executor_)) return;
    started.wait_for(spec_.stop_grace + kStopSlack);
}

void SupervisionLoop::diagnose(std::string_view message) const {
    if (!options_.diagnostics) return;
    try {
        options_.diagnostics(spec_.name, message);
    } catch (...) {
        // A failing diagnostics sink must not take supervision down with it.
    }
}

template <class Callback>
void SupervisionLoop::notify(std::string_view what, Callback&& callback) const {
    try {
        std::forward<Callback>(callback)();
    } catch (const std::exception& error) {
        diagnose(std::string(what) + " threw: " + error.what());
    } catch (...) {
        diagnose(std::string(what) + " threw");
    }
}

}  // namespace mcpproxy::process
