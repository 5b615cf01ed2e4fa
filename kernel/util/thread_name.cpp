#include "kernel/util/thread_name.hpp"

#include <pthread.h>

#include <array>

namespace mcpproxy::util {

namespace {
constexpr std::size_t kMaxNameLength = 15;  // TASK_COMM_LEN - 1
}

void name_this_thread(const std::string& name) {
    const std::string cut = name.substr(0, kMaxNameLength);
    pthread_setname_np(pthread_self(), cut.c_str());
}

std::string this_thread_name() {
    std::array<char, kMaxNameLength + 1> buffer{};
    if (pthread_getname_np(pthread_self(), buffer.data(), buffer.size()) != 0) return {};
    return buffer.data();
}

}  // namespace mcpproxy::util
