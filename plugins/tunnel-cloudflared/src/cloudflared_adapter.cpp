#include "cloudflared_adapter.hpp"

#include "cloudflared_preflight.hpp"

namespace mcpproxy::tunnel_cloudflared {

CloudflaredAdapter::CloudflaredAdapter(sdk::Host& host, CloudflaredConfig config)
    : host_(host), config_(std::move(config)) {
    if (config_.access) {
        access_ = std::make_unique<AccessVerifier>(
            *config_.access,
            [](const std::string& url) { return https_get(url, std::chrono::seconds(3)); },
            [&host] { return host.now(); });
    }
}

CloudflaredAdapter::~CloudflaredAdapter() {
    stop();
}

void CloudflaredAdapter::preflight() {
    const auto found = preflight_cloudflared(config_.binary);
    binary_path_ = found.binary_path;
    if (!config_.quick) preflight_named_tunnel(config_.token, config_.hostname);
    host_.logger().info("using cloudflared " + found.version + " at " + found.binary_path + " (" +
                        (config_.quick ? "quick tunnel" : "named tunnel for " + config_.hostname) +
                        ")");
}

sdk::DaemonInfo CloudflaredAdapter::daemon() {
    const auto found = preflight_cloudflared(config_.binary);
    return {found.binary_path, found.version};
}

void CloudflaredAdapter::start(const sdk::TunnelTarget& target, sdk::TunnelEvents& events) {
    if (binary_path_.empty()) preflight();
    status_.attach(&events);
    DaemonOptions options;
    options.binary = binary_path_;
    options.quick = config_.quick;
    const auto origin = origin_url_of(target);
    // A named tunnel's ingress (public hostname -> service) lives in the Cloudflare dashboard.
    if (config_.quick) options.origin_url = origin;
    options.token = config_.token;
    options.public_hostname = config_.hostname;
    options.metrics_port = config_.metrics_port;
    options.poll_interval = config_.poll_interval;
    options.ready_timeout = config_.ready_timeout;
    options.stop_grace = config_.stop_grace;
    if (config_.quick) {
        host_.logger().warn(
            "quick tunnel: trycloudflare.com quick tunnels do not carry Server-Sent Events (SSE) "
            "and cap at 200 "
            "concurrent requests, and the URL changes on every start; use a named tunnel "
            "(\"hostname\" + "
            "TUNNEL_TOKEN) for anything but a try-out");
    } else {
        host_.logger().info(
            "named tunnel: route https://" + config_.hostname + " to " + origin +
            " in the Cloudflare dashboard (Networks > Tunnels > your tunnel > Public hostnames)");
    }
    daemon_ = std::make_unique<CloudflaredDaemon>(host_, std::move(options), status_);
    daemon_->start();
    if (access_) {
        key_refresh_.start(std::chrono::seconds(1), [this, last_warning = std::string()]() mutable {
            access_->refresh_if_due();
            // One line per new problem, not one per tick.
            const auto error = access_->error();
            if (!error.empty() && error != last_warning) host_.logger().warn(error);
            last_warning = error;
        });
    }
}

void CloudflaredAdapter::stop() noexcept {
    key_refresh_.stop();
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

bool CloudflaredAdapter::verify_request(const sdk::RequestView& request) {
    if (!access_) return true;
    const auto header = request.header("Cf-Access-Jwt-Assertion");
    const auto result = access_->verify(header ? *header : std::string_view{});
    if (result == AccessCheck::ok) return true;
    if (host_.logger().enabled(sdk::LogLevel::debug)) {
        host_.logger().debug("Cloudflare Access check refused a request from " +
                             std::string(request.peer_address()) + ": " +
                             std::string(to_string(result)));
    }
    return false;
}

}  // namespace mcpproxy::tunnel_cloudflared
