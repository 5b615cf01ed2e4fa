#pragma once

#include <atomic>
#include <chrono>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "mcpproxy/sdk/host.hpp"
#include "mcpproxy/sdk/tunnel_adapter.hpp"
#include "mcpproxy/tunnel_common/poll_loop.hpp"
#include "mcpproxy/tunnel_common/status_keeper.hpp"
#include "ngrok_config.hpp"

namespace mcpproxy::tunnel_ngrok {

// Runs `ngrok http <target> --log stdout --log-format json --config <ours>` under the host's
// supervisor (restarts with back-off), with the authtoken in NGROK_AUTHTOKEN. The URL comes from
// the `started tunnel` log line at once and is confirmed by the agent API (/api/endpoints, else
// /api/tunnels) on 127.0.0.1:<web_port>; ERR_NGROK_* lines become plain-words status details.
// The version in `ngrok version` output ("ngrok version 3.18.4" -> "3.18.4"); empty when the text
// is not ngrok's.
std::string parse_ngrok_version(const std::string& output);

class NgrokAdapter final : public sdk::TunnelAdapter {
public:
    NgrokAdapter(sdk::Host& host, NgrokConfig config);
    ~NgrokAdapter() override;

    [[nodiscard]] std::string provider() const override { return "ngrok"; }
    void preflight() override;
    [[nodiscard]] sdk::DaemonInfo daemon() override;
    void start(const sdk::TunnelTarget& target, sdk::TunnelEvents& events) override;
    void stop() noexcept override;
    [[nodiscard]] sdk::TunnelStatus status() const override { return keeper_.get(); }

    // Called by the process events (supervisor threads).
    void on_line(std::string_view line);
    void on_started();
    void on_exited(int exit_code, bool will_restart);

private:
    void poll();
    void report_url(const std::string& url);
    void report_error(int code, const std::string& message);
    void report_if_late(const std::string& problem);

    sdk::Host& host_;
    NgrokConfig config_;
    std::optional<std::string> token_;
    std::filesystem::path dir_;
    std::uint16_t web_port_ = 0;
    std::string upstream_;
    tunnel_common::StatusKeeper keeper_;
    tunnel_common::PollLoop loop_;
    std::mutex process_mutex_;
    std::unique_ptr<sdk::SupervisedProcess> process_;
    std::atomic<int> last_error_code_{0};
    std::atomic<bool> stopping_{false};
    std::atomic<bool> started_{false};
    // The current run of the agent: when it started and whether it was ready (poll thread and
    // supervisor callbacks).
    std::mutex run_mutex_;
    std::chrono::steady_clock::time_point run_started_;
    bool ready_in_run_ = false;
};

}  // namespace mcpproxy::tunnel_ngrok
