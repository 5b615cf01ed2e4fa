#include "kernel/util/thread_name.hpp"

#include <gtest/gtest.h>

#include <string>
#include <thread>

namespace mcpproxy::util {
namespace {

std::string name_seen_in(const std::string& given) {
    std::string seen;
    std::thread t([&] {
        name_this_thread(given);
        seen = this_thread_name();
    });
    t.join();
    return seen;
}

TEST(ThreadName, NamesTheCallingThread) {
    EXPECT_EQ(name_seen_in("mcpproxy-io1"), "mcpproxy-io1");
}

TEST(ThreadName, CutsNamesToWhatTheKernelKeeps) {
    EXPECT_EQ(name_seen_in("mcpproxy-a-very-long-thread-name"), "mcpproxy-a-very");
}

TEST(ThreadName, LeavesOtherThreadsAlone) {
    const std::string before = this_thread_name();
    (void)name_seen_in("mcpproxy-other");
    EXPECT_EQ(this_thread_name(), before);
}

}  // namespace
}  // namespace mcpproxy::util
