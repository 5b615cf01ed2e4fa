#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "cloudflared_daemon.hpp"
#include "mcpproxy/sdk/host.hpp"
#include "mcpproxy/sdk/tunnel_adapter.hpp"
#include "mcpproxy/tunnel_common/poll_loop.hpp"
#include "mcpproxy/tunnel_common/status_keeper.hpp"

namespace mcpproxy::tunnel_anthropic {

struct AnthropicConfig {
    std::string binary = "cloudflared";
    std::string token;   // the tunnel's cloudflared token: config, token_file or $TUNNEL_TOKEN
    std::string domain;  // the tunnel domain Anthropic assigned
    std::string subdomain = "mcpproxy";
    std::string proxy_url = "http://localhost:8443";  // mcp-proxy's listener, cloudflared's --url
    std::string cert_dir;  // where `tunnel anthropic init` wrote server.crt (expiry checks)
    std::uint16_t metrics_port = 0;
    std::chrono::milliseconds poll_interval{1000};
    std::chrono::hours renew_before{24 * 14};
};

AnthropicConfig parse_anthropic_config(std::string_view json_text);

// "the server certificate ... expires in N days" when within renew_before; empty otherwise.
// Throws when the certificate expired or cannot be read.
std::string check_server_certificate(const std::filesystem::path& cert,
                                     std::chrono::system_clock::time_point now,
                                     std::chrono::hours renew_before, const std::string& domain);

// mcpproxy as the upstream of Anthropic's mcp-proxy: supervises cloudflared with the tunnel's
// token (cloudflared forwards to mcp-proxy, which terminates the inner TLS with the operator CA's
// server certificate and routes <subdomain>.<domain> to mcpproxy), reports
// https://<subdomain>.<domain> and readiness, and warns when the server certificate needs renewing.
class AnthropicAdapter final : public sdk::TunnelAdapter {
public:
    AnthropicAdapter(sdk::Host& host, AnthropicConfig config);
    ~AnthropicAdapter() override;
    [[nodiscard]] std::string provider() const override { return "anthropic"; }
    void preflight() override;
    [[nodiscard]] sdk::DaemonInfo daemon() override;
    void start(const sdk::TunnelTarget& target, sdk::TunnelEvents& events) override;
    void stop() noexcept override;
    [[nodiscard]] sdk::TunnelStatus status() const override { return status_.get(); }
    [[nodiscard]] std::string certificate_warning() const;

private:
    void check_certificate();

    sdk::Host& host_;
    AnthropicConfig config_;
    std::string binary_path_;
    tunnel_common::StatusKeeper status_;
    std::unique_ptr<tunnel_cloudflared::CloudflaredDaemon> daemon_;
    tunnel_common::PollLoop cert_check_;
    mutable std::mutex mutex_;
    std::string cert_warning_;
};

}  // namespace mcpproxy::tunnel_anthropic
