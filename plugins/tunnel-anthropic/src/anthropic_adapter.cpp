#include "anthropic_adapter.hpp"

#include <stdexcept>

#include "cert_authority.hpp"
#include "cloudflared_config.hpp"
#include "cloudflared_preflight.hpp"
#include "mcpproxy/tunnel_common/plugin_json.hpp"

namespace mcpproxy::tunnel_anthropic {
namespace tc = tunnel_common;

AnthropicConfig parse_anthropic_config(std::string_view json_text) {
    const auto config = tc::parse_config(json_text);
    tc::require_known_keys(
        config, {"binary", "token", "token_file", "domain", "subdomain", "proxy_url", "cert_dir",
                 "metrics_port", "poll_interval_ms", "renew_before_days"});
    AnthropicConfig c;
    c.binary = tc::string_key(config, "binary", "cloudflared");
    c.token = tc::string_key(config, "token");
    if (const auto file = tc::string_key(config, "token_file"); c.token.empty() && !file.empty()) {
        // Same reading rules as tunnel-cloudflared (trimmed, file must exist).
        c.token = tunnel_cloudflared::parse_cloudflared_config(
                      nlohmann::json{{"mode", "named"}, {"token_file", file}}.dump())
                      .token;
    }
    if (c.token.empty()) c.token = tc::env_value("TUNNEL_TOKEN").value_or("");
    c.domain = tc::string_key(config, "domain");
    c.subdomain = tc::string_key(config, "subdomain", "mcpproxy");
    c.proxy_url = tc::string_key(config, "proxy_url", "http://localhost:8443");
    c.cert_dir = tc::string_key(config, "cert_dir");
    const auto port = tc::int_key(config, "metrics_port", 0);
    if (port < 0 || port > 65535)
        throw std::runtime_error("config key \"metrics_port\" must be 0..65535");
    c.metrics_port = static_cast<std::uint16_t>(port);
    const auto interval = tc::int_key(config, "poll_interval_ms", 1000);
    if (interval < 50)
        throw std::runtime_error("config key \"poll_interval_ms\" must be at least 50");
    c.poll_interval = std::chrono::milliseconds(interval);
    c.renew_before = std::chrono::hours(24 * tc::int_key(config, "renew_before_days", 14));
    return c;
}

std::string check_server_certificate(const std::filesystem::path& cert,
                                     std::chrono::system_clock::time_point now,
                                     std::chrono::hours renew_before, const std::string& domain) {
    const auto x509 = read_certificate(cert);
    const auto end = not_after(x509.get());
    const auto renew = "run `mcpproxy tunnel anthropic init --domain " +
                       (domain.empty() ? "D" : domain) + " --out " + cert.parent_path().string() +
                       "` (it keeps the CA) and restart mcp-proxy";
    if (end <= now) {
        throw std::runtime_error("mcp-proxy's server certificate " + cert.string() +
                                 " has expired; " + renew);
    }
    if (end - now <= renew_before) {
        const auto days = std::chrono::duration_cast<std::chrono::hours>(end - now).count() / 24;
        return "mcp-proxy's server certificate " + cert.string() + " expires in " +
               std::to_string(days) + " day(s); " + renew;
    }
    return {};
}

AnthropicAdapter::AnthropicAdapter(sdk::Host& host, AnthropicConfig config)
    : host_(host), config_(std::move(config)) {}

AnthropicAdapter::~AnthropicAdapter() {
    stop();
}

void AnthropicAdapter::preflight() {
    const auto found = tunnel_cloudflared::preflight_cloudflared(config_.binary);
    binary_path_ = found.binary_path;
    if (config_.token.empty()) {
        throw std::runtime_error(
            "the Anthropic tunnel needs its cloudflared token: set TUNNEL_TOKEN in mcpproxy's "
            "environment (or the "
            "plugin's \"token_file\") to the token you got when you created the tunnel");
    }
    if (!tunnel_cloudflared::tunnel_id_of_token(config_.token)) {
        throw std::runtime_error(
            "the tunnel token is not valid (it is the base64 cloudflared token you got when you "
            "created the tunnel); "
            "copy it again");
    }
    if (config_.domain.empty()) {
        throw std::runtime_error(
            "set the plugin's \"domain\" to the tunnel domain Anthropic assigned (the one you "
            "passed to `mcpproxy "
            "tunnel anthropic init --domain`)");
    }
    check_certificate();
    host_.logger().info("using cloudflared " + found.version + " at " + found.binary_path +
                        " for the Anthropic tunnel https://" + config_.subdomain + "." +
                        config_.domain);
}

sdk::DaemonInfo AnthropicAdapter::daemon() {
    const auto found = tunnel_cloudflared::preflight_cloudflared(config_.binary);
    return {found.binary_path, found.version};
}

void AnthropicAdapter::check_certificate() {
    if (config_.cert_dir.empty()) return;
    const auto warning =
        check_server_certificate(std::filesystem::path(config_.cert_dir) / "server.crt",
                                 host_.now(), config_.renew_before, config_.domain);
    if (!warning.empty()) host_.logger().warn(warning);
    std::lock_guard lock(mutex_);
    cert_warning_ = warning;
}

std::string AnthropicAdapter::certificate_warning() const {
    std::lock_guard lock(mutex_);
    return cert_warning_;
}

void AnthropicAdapter::start(const sdk::TunnelTarget& target, sdk::TunnelEvents& events) {
    if (binary_path_.empty()) preflight();
    status_.attach(&events);
    tunnel_cloudflared::DaemonOptions options;
    options.binary = binary_path_;
    options.quick = false;
    options.origin_url = config_.proxy_url;
    options.token = config_.token;
    options.public_hostname = config_.subdomain + "." + config_.domain;
    options.metrics_port = config_.metrics_port;
    options.poll_interval = config_.poll_interval;
    host_.logger().info("anthropic tunnel: cloudflared forwards to mcp-proxy at " +
                        config_.proxy_url + "; mcp-proxy routes " + config_.subdomain + " to " +
                        tunnel_cloudflared::origin_url_of(target) + " (see mcp-proxy.yaml)");
    daemon_ =
        std::make_unique<tunnel_cloudflared::CloudflaredDaemon>(host_, std::move(options), status_);
    daemon_->start();
    if (!config_.cert_dir.empty()) {
        // Daily is enough for a 14-day window; the first tick already ran in preflight.
        cert_check_.start(std::chrono::hours(24), [this, first = true]() mutable {
            if (first) {
                first = false;
                return;
            }
            try {
                check_certificate();
            } catch (const std::exception& e) {
                host_.logger().error(e.what());
                std::lock_guard lock(mutex_);
                cert_warning_ = e.what();
            }
        });
    }
}

void AnthropicAdapter::stop() noexcept {
    cert_check_.stop();
    if (daemon_) {
        daemon_->stop();
        daemon_.reset();
        status_.update([](sdk::TunnelStatus& s) {
            s.state = sdk::TunnelState::stopped;
            s.detail.clear();
        });
    }
    status_.attach(nullptr);
}

}  // namespace mcpproxy::tunnel_anthropic
