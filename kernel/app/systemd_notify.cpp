#include "kernel/app/systemd_notify.hpp"

#include <systemd/sd-daemon.h>

#include <boost/asio/post.hpp>
#include <cstdlib>

namespace mcpproxy::app {
namespace {

void notify(const std::string& state) {
    // unset_environment = 0: a reload sends READY=1 again later.
    sd_notify(0, state.c_str());
}

}  // namespace

SystemdNotifier::SystemdNotifier(boost::asio::io_context& io,
                                 std::shared_ptr<health::Readiness> readiness)
    : readiness_(std::move(readiness)), timer_(io) {}

bool SystemdNotifier::enabled() {
    const char* socket = std::getenv("NOTIFY_SOCKET");
    return socket != nullptr && *socket != '\0';
}

void SystemdNotifier::watch_readiness() {
    if (!enabled()) return;
    boost::asio::post(timer_.get_executor(), [this] { poll(); });
}

void SystemdNotifier::poll() {
    if (readiness_->ready()) {
        notify("READY=1\nSTATUS=serving");
        return;
    }
    std::string waiting;
    for (const auto& p : readiness_->pending()) {
        waiting += (waiting.empty() ? "" : ", ") + p.component + ": " + p.detail;
    }
    if (waiting != last_status_) notify("STATUS=starting (" + waiting + ")");
    last_status_ = waiting;
    timer_.expires_after(std::chrono::milliseconds(50));
    timer_.async_wait([this](const boost::system::error_code& ec) {
        if (!ec) poll();
    });
}

void SystemdNotifier::reloading() {
    if (enabled()) notify("RELOADING=1\nSTATUS=reloading the config");
}

void SystemdNotifier::reloaded() {
    if (enabled()) notify("READY=1\nSTATUS=serving");
}

void SystemdNotifier::stopping() {
    boost::asio::post(timer_.get_executor(), [this] { timer_.cancel(); });
    if (enabled()) notify("STOPPING=1\nSTATUS=stopping");
}

}  // namespace mcpproxy::app
