#include "kernel/app/tunnel_status_file.hpp"

#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <ctime>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "kernel/util/atomic_file.hpp"

namespace mcpproxy::app {
namespace {

constexpr const char* kFileName = "tunnels.json";

std::string utc_now() {
    const auto t = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&t, &tm);
    std::ostringstream out;
    out << std::put_time(&tm, "%Y-%m-%dT%H:%M:%SZ");
    return out.str();
}

bool process_alive(long pid) {
    if (pid <= 0) return false;
    return ::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM;
}

std::string cell(const std::string& s) {
    return s.empty() ? "-" : s;
}

}  // namespace

TunnelStatusFile::TunnelStatusFile(std::filesystem::path data_dir)
    : path_(std::move(data_dir) / kFileName) {}

void TunnelStatusFile::write(const std::vector<tunnel::TunnelEntry>& entries) noexcept {
    try {
        std::lock_guard lock(mutex_);
        nlohmann::json tunnels = nlohmann::json::array();
        for (const auto& e : entries) {
            const auto state = e.status.state;
            if ((state == sdk::TunnelState::failed || state == sdk::TunnelState::degraded) &&
                !e.status.detail.empty()) {
                last_error_[e.plugin] = e.status.detail;
            }
            tunnels.push_back({{"plugin", e.plugin},
                               {"provider", e.provider},
                               {"state", tunnel::to_string(state)},
                               {"public_url", e.status.public_url},
                               {"detail", e.status.detail},
                               {"restarts", e.status.restarts},
                               {"last_error", last_error_[e.plugin]}});
        }
        const nlohmann::json doc{
            {"pid", static_cast<long>(::getpid())}, {"updated", utc_now()}, {"tunnels", tunnels}};
        util::write_file_atomically(path_, doc.dump(2) + "\n", 0600);
    } catch (...) {
    }
}

int tunnel_status_command(const std::filesystem::path& data_dir, const std::string& output) {
    const auto path = data_dir / kFileName;
    std::ifstream in(path);
    const auto doc = in ? nlohmann::json::parse(in, nullptr, false) : nlohmann::json();
    if (!doc.is_object()) {
        if (output == "json") {
            std::cout
                << nlohmann::json{{"running", false}, {"tunnels", nlohmann::json::array()}}.dump(2)
                << "\n";
        } else {
            std::cerr
                << "no tunnel status in " << data_dir.string()
                << ": no mcpproxy with a tunnel adapter has run with this data dir (start one with "
                   "--tunnel-mode --plugin tunnel-...)\n";
        }
        return 1;
    }
    const long pid = doc.value("pid", 0L);
    const bool running = process_alive(pid);
    auto tunnels = doc.value("tunnels", nlohmann::json::array());
    if (!running) {
        // A server that died without a clean stop left its last states behind.
        for (auto& t : tunnels) {
            if (t.value("state", "") != "stopped") t["state"] = "stopped";
        }
    }
    if (output == "json") {
        nlohmann::json out{{"running", running},
                           {"pid", pid},
                           {"updated", doc.value("updated", "")},
                           {"tunnels", tunnels}};
        std::cout << out.dump(2) << "\n";
        return 0;
    }
    std::cout << "mcpproxy pid " << pid << (running ? " (running)" : " (not running)")
              << ", updated " << doc.value("updated", "") << "\n";
    std::cout << std::left << std::setw(14) << "PROVIDER" << std::setw(10) << "STATE"
              << std::setw(47) << "PUBLIC URL" << ' ' << std::setw(10) << "RESTARTS"
              << "LAST ERROR\n";
    for (const auto& t : tunnels) {
        std::cout << std::left << std::setw(14) << cell(t.value("provider", "")) << std::setw(10)
                  << cell(t.value("state", "")) << std::setw(47) << cell(t.value("public_url", ""))
                  << ' ' << std::setw(10) << t.value("restarts", 0)
                  << cell(t.value("last_error", "")) << "\n";
    }
    return 0;
}

}  // namespace mcpproxy::app
