#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <memory>
#include <string>

#include "kernel/health/readiness.hpp"

namespace mcpproxy::app {

// Tells systemd (Type=notify) how the service is doing through $NOTIFY_SOCKET; does nothing when
// the process was not started by systemd.
class SystemdNotifier {
public:
    // Sends READY=1 once `readiness` turns ready (when /healthz would answer 200).
    SystemdNotifier(boost::asio::io_context& io, std::shared_ptr<health::Readiness> readiness);

    void watch_readiness();
    void reloading();  // RELOADING=1 (a SIGHUP is being applied)
    void reloaded();   // READY=1 again after a reload
    void stopping();   // STOPPING=1

    [[nodiscard]] static bool enabled();

private:
    void poll();

    std::shared_ptr<health::Readiness> readiness_;
    boost::asio::steady_timer timer_;
    std::string last_status_;  // touched only by the poll chain
};

}  // namespace mcpproxy::app
