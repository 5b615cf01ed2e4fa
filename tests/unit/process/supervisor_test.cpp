#include "kernel/process/supervisor.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

#include "io_threads.hpp"
#include "process_probes.hpp"

namespace mcpproxy::process {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using sdk::OutputStream;
using testing::gone_within;
using testing::has_no_children;
using testing::IoThreads;
using testing::open_fd_count;
using testing::open_fd_count_settled;
using testing::process_is_gone;

struct Exit {
    int code;
    bool will_restart;
};

// Records every callback; fails the test if two callbacks ever overlap.
class Recorder : public sdk::ProcessEvents {
public:
    void on_started(int pid) override {
        Enter enter(*this);
        starts.push_back(pid);
        start_times.push_back(Clock::now());
        order.push_back("started");
    }
    void on_line(OutputStream stream, std::string_view line) override {
        Enter enter(*this);
        (stream == OutputStream::stdout_stream ? out : err).emplace_back(line);
        order.push_back("line");
        if (on_line_hook) on_line_hook(line);
    }
    void on_exited(int code, bool will_restart) override {
        Enter enter(*this);
        exits.push_back({code, will_restart});
        order.push_back("exited");
    }

    template <class Predicate>
    bool wait_until(Predicate predicate, std::chrono::milliseconds timeout = 10s) {
        std::unique_lock lock(mutex);
        return changed.wait_for(lock, timeout, [&] { return predicate(); });
    }

    std::mutex mutex;
    std::condition_variable changed;
    std::vector<int> starts;
    std::vector<Clock::time_point> start_times;
    std::vector<std::string> out;
    std::vector<std::string> err;
    std::vector<Exit> exits;
    std::vector<std::string> order;
    std::atomic<bool> overlapped{false};
    std::function<void(std::string_view)> on_line_hook;

private:
    struct Enter {
        explicit Enter(Recorder& r) : recorder(r), lock(r.mutex, std::defer_lock) {
            if (recorder.inside.exchange(true)) recorder.overlapped = true;
            lock.lock();
        }
        ~Enter() {
            recorder.inside = false;
            lock.unlock();
            recorder.changed.notify_all();
        }
        Recorder& recorder;
        std::unique_lock<std::mutex> lock;
    };
    std::atomic<bool> inside{false};
};

sdk::ProcessSpec shell_spec(const std::string& script) {
    sdk::ProcessSpec spec;
    spec.name = "test-daemon";
    spec.argv = {"/bin/sh", "-c", script};
    spec.backoff_initial = 50ms;
    spec.backoff_max = 400ms;
    spec.stop_grace = 2'000ms;
    return spec;
}

class SupervisorTest : public ::testing::Test {
protected:
    SupervisorTest() : supervisor_(threads_.executor(), options()) {}
    ~SupervisorTest() override { threads_.shut_down(); }

    SupervisorOptions options() {
        SupervisorOptions result;
        result.diagnostics = [this](std::string_view, std::string_view message) {
            std::lock_guard lock(diagnostics_mutex_);
            diagnostics_.emplace_back(message);
        };
        return result;
    }

    IoThreads threads_;
    std::mutex diagnostics_mutex_;
    std::vector<std::string> diagnostics_;
    Supervisor supervisor_;
    std::shared_ptr<Recorder> events_ = std::make_shared<Recorder>();
};

TEST_F(SupervisorTest, RelaysStdoutAndStderrLinesInOrderBetweenStartAndExit) {
    auto spec = shell_spec("for i in 1 2 3 4; do echo out$i; echo err$i >&2; done; exit 5");
    spec.restart_on_exit = false;
    auto process = supervisor_.spawn(spec, events_);
    ASSERT_TRUE(events_->wait_until([&] { return !events_->exits.empty(); }));
    std::lock_guard lock(events_->mutex);
    EXPECT_EQ(events_->out, (std::vector<std::string>{"out1", "out2", "out3", "out4"}));
    EXPECT_EQ(events_->err, (std::vector<std::string>{"err1", "err2", "err3", "err4"}));
    ASSERT_EQ(events_->order.size(), 10U);
    EXPECT_EQ(events_->order.front(), "started");
    EXPECT_EQ(events_->order.back(), "exited");
    ASSERT_EQ(events_->exits.size(), 1U);
    EXPECT_EQ(events_->exits[0].code, 5);
    EXPECT_FALSE(events_->exits[0].will_restart);
    EXPECT_FALSE(events_->overlapped);
    EXPECT_FALSE(process->running());
    EXPECT_EQ(process->pid(), 0);
}

TEST_F(SupervisorTest, RestartsAnExitingChildWithGrowingDelays) {
    auto process = supervisor_.spawn(shell_spec("exit 3"), events_);
    std::this_thread::sleep_for(2'500ms);
    process->stop();
    std::lock_guard lock(events_->mutex);
    // Delays 50, 100, 200, 400, 400, ...: about 7 restarts in 2.5 s; without back-off, hundreds.
    EXPECT_GE(process->restarts(), 3U);
    EXPECT_LE(process->restarts(), 12U);
    ASSERT_GE(events_->start_times.size(), 4U);
    const auto first_gap = events_->start_times[1] - events_->start_times[0];
    const auto later_gap = events_->start_times[3] - events_->start_times[2];
    EXPECT_GT(later_gap, first_gap * 2);
    for (const auto& exit : events_->exits) EXPECT_EQ(exit.code, 3);
    EXPECT_TRUE(events_->exits.front().will_restart);
    EXPECT_FALSE(events_->overlapped);
}

TEST_F(SupervisorTest, BackoffStartsOverAfterALongEnoughRun) {
    SupervisorOptions options;
    options.backoff_reset_after = 200ms;
    Supervisor supervisor(threads_.executor(), options);
    auto spec = shell_spec("sleep 0.3; exit 1");
    spec.backoff_initial = 100ms;
    spec.backoff_max = 10'000ms;
    auto process = supervisor.spawn(spec, events_);
    // Without the reset the gaps would be 0.4, 0.5, 0.7, 1.1 s.
    ASSERT_TRUE(events_->wait_until([&] { return events_->starts.size() >= 5; }, 20s));
    process->stop();
    std::lock_guard lock(events_->mutex);
    for (std::size_t i = 1; i < events_->start_times.size(); ++i) {
        EXPECT_LT(events_->start_times[i] - events_->start_times[i - 1], 1'000ms) << "gap " << i;
    }
}

TEST_F(SupervisorTest, StopEndsTheWholeGroupIncludingAGrandchild) {
    auto process = supervisor_.spawn(shell_spec("sleep 1000 & echo $!; sleep 1000"), events_);
    ASSERT_TRUE(events_->wait_until([&] { return !events_->out.empty(); }));
    const pid_t grandchild = std::stoi(events_->out[0]);
    const pid_t leader = process->pid();
    EXPECT_TRUE(process->running());
    EXPECT_FALSE(process_is_gone(grandchild));

    process->stop();
    EXPECT_TRUE(gone_within(grandchild));
    EXPECT_TRUE(process_is_gone(leader));
    EXPECT_FALSE(process->running());
    EXPECT_EQ(process->pid(), 0);
    {
        std::lock_guard lock(events_->mutex);
        ASSERT_EQ(events_->exits.size(), 1U);  // delivered before stop() returned
        EXPECT_EQ(events_->exits[0].code, 128 + SIGTERM);
        EXPECT_FALSE(events_->exits[0].will_restart);
    }
    process->stop();  // a second stop is harmless
    EXPECT_EQ(process->restarts(), 0U);
}

TEST_F(SupervisorTest, ChildIgnoringTermIsKilledAfterTheGrace) {
    auto spec = shell_spec("trap '' TERM; echo ready; while :; do sleep 1; done");
    spec.stop_grace = 300ms;
    auto process = supervisor_.spawn(spec, events_);
    ASSERT_TRUE(events_->wait_until([&] { return !events_->out.empty(); }));
    const auto begin = Clock::now();
    process->stop();
    const auto elapsed = Clock::now() - begin;
    EXPECT_GE(elapsed, 250ms);
    EXPECT_LT(elapsed, 10s);
    std::lock_guard lock(events_->mutex);
    ASSERT_EQ(events_->exits.size(), 1U);
    EXPECT_EQ(events_->exits[0].code, 128 + SIGKILL);
}

TEST_F(SupervisorTest, DestroyingTheHandleStopsTheProcess) {
    auto process = supervisor_.spawn(shell_spec("exec sleep 1000"), events_);
    const pid_t pid = process->pid();
    ASSERT_NE(pid, 0);
    process.reset();
    EXPECT_TRUE(process_is_gone(pid));
    EXPECT_TRUE(has_no_children());
}

TEST_F(SupervisorTest, RestartReplacesTheProcessAtOnce) {
    auto process = supervisor_.spawn(shell_spec("exec sleep 1000"), events_);
    const pid_t first = process->pid();
    process->restart();
    EXPECT_TRUE(process_is_gone(first));
    EXPECT_NE(process->pid(), 0);
    EXPECT_NE(process->pid(), first);
    EXPECT_EQ(process->restarts(), 1U);
    {
        std::lock_guard lock(events_->mutex);
        ASSERT_EQ(events_->exits.size(), 1U);
        EXPECT_TRUE(events_->exits[0].will_restart);
        EXPECT_EQ(events_->starts.size(), 2U);
    }
    process->stop();
    process->restart();  // starts again after a stop
    EXPECT_TRUE(process->running());
    EXPECT_EQ(process->restarts(), 2U);
}

TEST_F(SupervisorTest, SpawnFailureThrowsWithTheProgramName) {
    sdk::ProcessSpec spec;
    spec.name = "missing";
    spec.argv = {"no-such-daemon-mcpproxy"};
    spec.env = {{"TUNNEL_TOKEN", "secret-token-value"}};
    try {
        supervisor_.spawn(spec, events_);
        FAIL() << "spawn should have thrown";
    } catch (const std::runtime_error& error) {
        EXPECT_STREQ(error.what(), "program not found on PATH: no-such-daemon-mcpproxy");
    }
}

TEST_F(SupervisorTest, StopFromInsideACallbackDoesNotDeadlock) {
    std::atomic<sdk::SupervisedProcess*> handle{nullptr};
    events_->on_line_hook = [&](std::string_view line) {
        if (line == "stop me") handle.load()->stop();
    };
    auto process =
        supervisor_.spawn(shell_spec("sleep 0.2; echo 'stop me'; exec sleep 1000"), events_);
    handle = process.get();
    ASSERT_TRUE(events_->wait_until([&] { return !events_->exits.empty(); }));
    EXPECT_FALSE(events_->exits[0].will_restart);
    EXPECT_EQ(process->restarts(), 0U);
}

TEST_F(SupervisorTest, StopWorksWhenTheIoContextNoLongerRuns) {
    auto spec = shell_spec("echo up; exec sleep 1000");
    auto process = supervisor_.spawn(spec, events_);
    ASSERT_TRUE(events_->wait_until([&] { return !events_->out.empty(); }));
    const pid_t pid = process->pid();
    threads_.shut_down();
    const auto begin = Clock::now();
    process->stop();
    EXPECT_LT(Clock::now() - begin, 2s);
    EXPECT_TRUE(process_is_gone(pid));
    EXPECT_TRUE(has_no_children());
}

TEST_F(SupervisorTest, NoZombieAndNoDescriptorLeakAfterManySpawnStopCycles) {
    int fds_before = 0;
    // Cycle 0 warms up: the io_context opens its reactor's descriptors on first use.
    for (int i = 0; i <= 50; ++i) {
        if (i == 1) {
            std::this_thread::sleep_for(200ms);
            fds_before = open_fd_count();
        }
        auto events = std::make_shared<Recorder>();
        auto process = supervisor_.spawn(shell_spec("echo up; sleep 1000"), events);
        ASSERT_TRUE(events->wait_until([&] { return !events->out.empty(); }));
        process->stop();
    }
    EXPECT_TRUE(has_no_children());
    EXPECT_EQ(open_fd_count_settled(fds_before), fds_before);
}

}  // namespace
}  // namespace mcpproxy::process
