#include "kernel/process/child_process.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/system/system_error.hpp>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <system_error>
#include <vector>

#include "io_threads.hpp"
#include "process_probes.hpp"

namespace mcpproxy::process {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;
using testing::gone_within;
using testing::has_no_children;
using testing::IoThreads;
using testing::open_fd_count;
using testing::open_fd_count_settled;
using testing::process_is_gone;

SpawnOptions command(std::vector<std::string> argv) {
    SpawnOptions options;
    options.argv = std::move(argv);
    return options;
}

SpawnOptions shell(const std::string& script) {
    return command({"/bin/sh", "-c", script});
}

asio::awaitable<std::vector<std::string>> read_all(LineReader& reader) {
    std::vector<std::string> lines;
    while (auto line = co_await reader.read_line()) lines.push_back(*line);
    co_return lines;
}

asio::awaitable<std::string> read_one(LineReader& reader) {
    auto line = co_await reader.read_line();
    if (!line) throw std::runtime_error("unexpected end of output");
    co_return *line;
}

class ChildProcessTest : public ::testing::Test {
protected:
    ~ChildProcessTest() override { threads_.shut_down(); }

    std::shared_ptr<ChildProcess> spawn(const SpawnOptions& options) {
        return ChildProcess::spawn(threads_.executor(), options);
    }
    template <class T>
    T run(asio::awaitable<T> coroutine) {
        return threads_.run(std::move(coroutine));
    }

    IoThreads threads_;
};

TEST_F(ChildProcessTest, StdoutAndStderrLinesArriveInOrder) {
    auto child = spawn(shell("for i in 1 2 3; do echo out$i; echo err$i >&2; done"));
    using namespace asio::experimental::awaitable_operators;
    auto [out, err] = run(read_all(child->stdout_lines()) && read_all(child->stderr_lines()));
    EXPECT_EQ(out, (std::vector<std::string>{"out1", "out2", "out3"}));
    EXPECT_EQ(err, (std::vector<std::string>{"err1", "err2", "err3"}));
    EXPECT_EQ(run(child->wait_exit()), 0);
}

TEST_F(ChildProcessTest, EnvOverrideIsVisibleAndInheritedEnvironmentStays) {
    ::setenv("MCPPROXY_TEST_INHERITED", "from-parent", 1);
    SpawnOptions options = shell("echo \"$MY_VAR|$MCPPROXY_TEST_INHERITED|$HOME_OVERRIDDEN\"");
    options.env = {{"MY_VAR", "hello world"}, {"HOME_OVERRIDDEN", "yes"}};
    auto child = spawn(options);
    EXPECT_EQ(run(read_one(child->stdout_lines())), "hello world|from-parent|yes");
    EXPECT_EQ(run(child->wait_exit()), 0);
}

TEST_F(ChildProcessTest, ProgramIsLookedUpOnTheChildsPath) {
    const auto dir = std::filesystem::temp_directory_path() /
                     ("mcpproxy-process-test-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const auto program = dir / "my-fake-daemon";
    std::ofstream(program) << "#!/bin/sh\necho fake daemon \"$@\"\n";
    std::filesystem::permissions(program, std::filesystem::perms::owner_all);

    SpawnOptions options = command({"my-fake-daemon", "--flag"});
    options.env = {{"PATH", dir.string() + ":/usr/bin:/bin"}};
    auto child = spawn(options);
    EXPECT_EQ(run(read_one(child->stdout_lines())), "fake daemon --flag");
    EXPECT_EQ(run(child->wait_exit()), 0);

    // And a name without '/' is found on the inherited PATH.
    auto echo = spawn(command({"echo", "plain"}));
    EXPECT_EQ(run(read_one(echo->stdout_lines())), "plain");
    std::filesystem::remove_all(dir);
}

TEST_F(ChildProcessTest, ProgramNotFoundNamesTheProgramAndNoEnvValue) {
    SpawnOptions options = command({"no-such-program-mcpproxy"});
    options.env = {{"API_TOKEN", "s3cr3t-value"}};
    try {
        spawn(options);
        FAIL() << "spawn should have thrown";
    } catch (const std::runtime_error& error) {
        EXPECT_STREQ(error.what(), "program not found on PATH: no-such-program-mcpproxy");
    }
    EXPECT_TRUE(has_no_children());
}

TEST_F(ChildProcessTest, ProgramThatCannotRunGivesTheReason) {
    const auto file = std::filesystem::temp_directory_path() /
                      ("mcpproxy-not-executable-" + std::to_string(::getpid()));
    std::ofstream(file) << "#!/bin/sh\necho never\n";
    std::filesystem::permissions(
        file, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
    SpawnOptions options = command({file.string()});
    options.env = {{"API_TOKEN", "s3cr3t-value"}};
    try {
        spawn(options);
        FAIL() << "spawn should have thrown";
    } catch (const std::system_error& error) {
        EXPECT_EQ(std::string(error.what()),
                  "cannot start " + file.string() + ": Permission denied");
    }
    std::filesystem::remove(file);
    EXPECT_TRUE(has_no_children());
}

TEST_F(ChildProcessTest, WorkingDirectoryIsUsedAndAMissingOneIsReported) {
    SpawnOptions options = shell("pwd");
    options.working_dir = "/usr/share";
    auto child = spawn(options);
    EXPECT_EQ(run(read_one(child->stdout_lines())), "/usr/share");

    options.working_dir = "/no/such/dir";
    try {
        spawn(options);
        FAIL() << "spawn should have thrown";
    } catch (const std::runtime_error& error) {
        EXPECT_STREQ(error.what(), "working directory does not exist: /no/such/dir");
    }
}

TEST_F(ChildProcessTest, ExitCodeOrSignalNumberPlus128) {
    EXPECT_EQ(run(spawn(shell("exit 7"))->wait_exit()), 7);
    EXPECT_EQ(run(spawn(shell("kill -9 $$"))->wait_exit()), 128 + SIGKILL);
}

TEST_F(ChildProcessTest, StdinRoundTripThroughCat) {
    auto child = spawn(command({"cat"}));
    run(child->async_write("hello\n"));
    EXPECT_EQ(run(read_one(child->stdout_lines())), "hello");
    run(child->async_write("{\"jsonrpc\":\"2.0\"}\n"));
    EXPECT_EQ(run(read_one(child->stdout_lines())), "{\"jsonrpc\":\"2.0\"}");
    run(child->close_stdin());
    EXPECT_FALSE(run(child->stdout_lines().read_line()).has_value());
    EXPECT_EQ(run(child->wait_exit()), 0);
}

TEST_F(ChildProcessTest, ConcurrentWritesAreNotInterleaved) {
    auto child = spawn(command({"cat"}));
    // Each message is larger than a pipe buffer, so unserialised writes would interleave.
    const std::size_t size = 300'000;
    std::vector<std::future<void>> writes;
    for (char letter : std::string("abcd")) {
        writes.push_back(asio::co_spawn(
            threads_.io(), child->async_write(std::string(size, letter) + "\n"), asio::use_future));
    }
    std::vector<std::string> lines;
    for (int i = 0; i < 4; ++i) lines.push_back(run(read_one(child->stdout_lines())));
    for (auto& write : writes) write.get();
    std::string seen;
    for (const auto& line : lines) {
        ASSERT_EQ(line.size(), size);
        EXPECT_EQ(line.find_first_not_of(line[0]), std::string::npos) << "interleaved output";
        seen += line[0];
    }
    std::sort(seen.begin(), seen.end());
    EXPECT_EQ(seen, "abcd");
    run(child->close_stdin());
    EXPECT_EQ(run(child->wait_exit()), 0);
}

TEST_F(ChildProcessTest, WritingToAnExitedChildFailsWithoutSigpipe) {
    auto child = spawn(shell("exit 0"));
    EXPECT_EQ(run(child->wait_exit()), 0);
    // With the default SIGPIPE disposition a raised SIGPIPE would end this test binary.
    ASSERT_EQ(::signal(SIGPIPE, SIG_DFL), SIG_DFL);
    try {
        run(child->async_write("x\n"));
        FAIL() << "write should have failed";
    } catch (const boost::system::system_error& error) {
        EXPECT_EQ(error.code().value(), EPIPE);
    }
}

TEST_F(ChildProcessTest, OverlongLineIsBounded) {
    SpawnOptions options = shell("head -c 5000000 /dev/zero | tr '\\0' x; echo; echo next");
    options.max_stdout_line = 4096;
    auto child = spawn(options);
    auto& reader = child->stdout_lines();
    const std::string first = run(read_one(reader));
    EXPECT_EQ(first.size(), 4096U);
    EXPECT_TRUE(reader.last_line_truncated());
    EXPECT_EQ(run(read_one(reader)), "next");
    EXPECT_FALSE(reader.last_line_truncated());
    EXPECT_EQ(run(child->wait_exit()), 0);
}

TEST_F(ChildProcessTest, TerminateEndsTheWholeGroupIncludingAGrandchild) {
    auto child = spawn(shell("sleep 1000 & echo $!; sleep 1000"));
    const pid_t grandchild = std::stoi(run(read_one(child->stdout_lines())));
    ASSERT_FALSE(process_is_gone(grandchild));
    EXPECT_EQ(run(child->terminate(5s)), 128 + SIGTERM);
    EXPECT_TRUE(gone_within(grandchild));
    EXPECT_TRUE(process_is_gone(child->pid()));
}

TEST_F(ChildProcessTest, ChildIgnoringTermIsKilledAfterTheGrace) {
    auto child = spawn(shell("trap '' TERM; echo ready; while :; do sleep 1; done"));
    EXPECT_EQ(run(read_one(child->stdout_lines())), "ready");
    const auto begin = std::chrono::steady_clock::now();
    EXPECT_EQ(run(child->terminate(300ms)), 128 + SIGKILL);
    const auto elapsed = std::chrono::steady_clock::now() - begin;
    EXPECT_GE(elapsed, 250ms);
    EXPECT_LT(elapsed, 10s);
}

TEST_F(ChildProcessTest, TerminateBlockingWorksWithoutIoThreads) {
    auto child = spawn(shell("trap '' TERM; sleep 1000 & echo $!; while :; do sleep 1; done"));
    const pid_t grandchild = std::stoi(run(read_one(child->stdout_lines())));
    threads_.shut_down();
    EXPECT_EQ(child->terminate_blocking(200ms), 128 + SIGKILL);
    EXPECT_TRUE(gone_within(grandchild));
}

TEST_F(ChildProcessTest, ChildStartsWithDefaultSignalsEmptyMaskAndNoExtraDescriptors) {
    const int leaked = ::open("/dev/null", O_RDONLY);  // deliberately without O_CLOEXEC
    ASSERT_GE(leaked, 0);
    auto previous = ::signal(SIGPIPE, SIG_IGN);
    sigset_t blocked;
    sigemptyset(&blocked);
    sigaddset(&blocked, SIGUSR1);
    sigset_t old_mask;
    pthread_sigmask(SIG_BLOCK, &blocked, &old_mask);

    auto status = spawn(command({"grep", "-E", "^Sig(Ign|Blk)", "/proc/self/status"}));
    auto fds = spawn(command({"ls", "/proc/self/fd"}));

    pthread_sigmask(SIG_SETMASK, &old_mask, nullptr);
    ::signal(SIGPIPE, previous);
    ::close(leaked);

    const auto status_lines = run(read_all(status->stdout_lines()));
    ASSERT_EQ(status_lines.size(), 2U);
    EXPECT_EQ(status_lines[0], "SigBlk:\t0000000000000000");
    // glibc's posix_spawn leaves its two internal real-time signals (32, 33) ignored; every
    // ordinary signal, SIGPIPE included, must be back at its default.
    ASSERT_EQ(status_lines[1].rfind("SigIgn:\t", 0), 0U);
    const auto ignored = std::stoull(status_lines[1].substr(8), nullptr, 16);
    EXPECT_EQ(ignored & 0x7fffffffULL, 0U) << status_lines[1];
    // 0, 1, 2 and the descriptor ls uses to read the directory.
    EXPECT_EQ(run(read_all(fds->stdout_lines())), (std::vector<std::string>{"0", "1", "2", "3"}));
}

TEST_F(ChildProcessTest, ChildIsInItsOwnProcessGroup) {
    auto child = spawn(shell("sleep 1000"));
    EXPECT_EQ(::getpgid(child->pid()), child->pid());
    EXPECT_NE(::getpgid(child->pid()), ::getpgrp());
    run(child->terminate(2s));
}

TEST_F(ChildProcessTest, DroppingARunningChildKillsAndReapsIt) {
    auto child = spawn(shell("sleep 1000"));
    const pid_t pid = child->pid();
    child.reset();
    EXPECT_EQ(::kill(pid, 0), -1);
    EXPECT_EQ(errno, ESRCH);
    EXPECT_TRUE(has_no_children());
}

TEST_F(ChildProcessTest, NoZombieAndNoDescriptorLeakAfterManyCycles) {
    // The io_context opens its reactor's descriptors on first use; count after that.
    EXPECT_EQ(run(spawn(shell("exit 0"))->wait_exit()), 0);
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    const int fds_before = open_fd_count();
    for (int i = 0; i < 50; ++i) {
        auto child = spawn(shell("echo up; exec sleep 1000"));
        ASSERT_EQ(run(read_one(child->stdout_lines())), "up");
        ASSERT_EQ(run(child->terminate(2s)), 128 + SIGTERM);
    }
    for (int i = 0; i < 50; ++i) EXPECT_EQ(run(spawn(shell("exit 0"))->wait_exit()), 0);
    EXPECT_TRUE(has_no_children());
    EXPECT_EQ(open_fd_count_settled(fds_before), fds_before);
}

}  // namespace
}  // namespace mcpproxy::process
