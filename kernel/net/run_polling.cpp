#include "kernel/net/run_polling.hpp"

namespace mcpproxy::net {

void run_polling(boost::asio::io_context& io, std::chrono::microseconds window) {
    if (window.count() <= 0) {
        io.run();
        return;
    }
    using Clock = std::chrono::steady_clock;
    auto last_work = Clock::now();
    while (!io.stopped()) {
        if (io.poll() > 0) {
            last_work = Clock::now();
            continue;
        }
        if (Clock::now() - last_work < window) continue;
        io.run_one();  // sleeps until there is something to do
        last_work = Clock::now();
    }
}

}  // namespace mcpproxy::net
