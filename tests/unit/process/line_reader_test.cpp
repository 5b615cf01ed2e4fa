#include "kernel/process/line_reader.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <boost/system/system_error.hpp>
#include <string>
#include <vector>

#include "io_threads.hpp"

namespace mcpproxy::process {
namespace {

namespace asio = boost::asio;
using testing::IoThreads;

struct Result {
    std::vector<std::string> lines;
    std::vector<bool> truncated;
};

// Feeds `input` through a pipe and reads it back line by line.
Result read_all(IoThreads& threads, const std::string& input, std::size_t max_line) {
    int fds[2];
    EXPECT_EQ(::pipe2(fds, O_CLOEXEC), 0);
    std::thread writer([fd = fds[1], input] {
        std::size_t done = 0;
        while (done < input.size()) {
            const ssize_t n = ::write(fd, input.data() + done, input.size() - done);
            if (n <= 0) break;
            done += static_cast<std::size_t>(n);
        }
        ::close(fd);
    });
    LineReader reader(asio::posix::stream_descriptor(threads.io(), fds[0]), max_line);
    auto result = threads.run([&]() -> asio::awaitable<Result> {
        Result out;
        while (auto line = co_await reader.read_line()) {
            out.lines.push_back(*line);
            out.truncated.push_back(reader.last_line_truncated());
        }
        co_return out;
    }());
    writer.join();
    return result;
}

TEST(LineReader, SplitsLinesStripsCarriageReturnAndKeepsLastPartialLine) {
    IoThreads threads(1);
    const auto result = read_all(threads, "one\r\n\ntwo\nthree", 100);
    EXPECT_EQ(result.lines, (std::vector<std::string>{"one", "", "two", "three"}));
}

TEST(LineReader, EmptyInputHasNoLines) {
    IoThreads threads(1);
    EXPECT_TRUE(read_all(threads, "", 100).lines.empty());
}

TEST(LineReader, OverlongLineIsCutAndTheNextLineIsIntact) {
    IoThreads threads(1);
    const std::string input = std::string(300'000, 'x') + "\nnext\n" + std::string(10, 'y') + "\n";
    const auto result = read_all(threads, input, 1'000);
    ASSERT_EQ(result.lines.size(), 3U);
    EXPECT_EQ(result.lines[0], std::string(1'000, 'x'));
    EXPECT_TRUE(result.truncated[0]);
    EXPECT_EQ(result.lines[1], "next");
    EXPECT_FALSE(result.truncated[1]);
    EXPECT_EQ(result.lines[2], std::string(10, 'y'));
}

TEST(LineReader, LineOfExactlyMaxLengthIsNotTruncated) {
    IoThreads threads(1);
    const auto result = read_all(threads, std::string(64, 'a') + "\n", 64);
    ASSERT_EQ(result.lines.size(), 1U);
    EXPECT_EQ(result.lines[0].size(), 64U);
    EXPECT_FALSE(result.truncated[0]);
}

TEST(LineReader, ClosingEndsAPendingReadWithAnError) {
    IoThreads threads(1);
    int fds[2];
    ASSERT_EQ(::pipe2(fds, O_CLOEXEC), 0);
    LineReader reader(asio::posix::stream_descriptor(threads.io(), fds[0]), 100);
    auto future = asio::co_spawn(threads.io(), reader.read_line(), asio::use_future);
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    asio::post(threads.io(), [&] { reader.close(); });
    ASSERT_EQ(future.wait_for(std::chrono::seconds(5)), std::future_status::ready);
    EXPECT_THROW(future.get(), boost::system::system_error);
    ::close(fds[1]);
}

}  // namespace
}  // namespace mcpproxy::process
