#include "tailscale_adapter.hpp"

#include <cctype>
#include <charconv>
#include <stdexcept>

#include "tailscale_facts.hpp"

namespace mcpproxy::tunnel_tailscale {

std::optional<std::string> version_problem(const std::string& version) {
    unsigned major = 0;
    unsigned minor = 0;
    const auto dot = version.find('.');
    if (version.empty() || dot == std::string::npos) return "cannot read the tailscale version";
    std::from_chars(version.data(), version.data() + dot, major);
    std::from_chars(version.data() + dot + 1, version.data() + version.size(), minor);
    if (major > 1 || (major == 1 && minor >= 52)) return std::nullopt;
    return "tailscale " + version +
           " is too old: mcpproxy needs 1.52 or newer (for `tailscale serve --bg`); update "
           "tailscale";
}

std::string parse_tailscale_version(const std::string& output) {
    const auto start = output.find_first_not_of(" \t\r\n");
    if (start == std::string::npos || !std::isdigit(static_cast<unsigned char>(output[start])))
        return {};
    const auto end = output.find_first_of(" \t\r\n", start);
    const auto version =
        output.substr(start, end == std::string::npos ? std::string::npos : end - start);
    return version.find('.') == std::string::npos ? std::string() : version;
}

TailscaleAdapter::TailscaleAdapter(sdk::Host& host, TailscaleConfig config)
    : host_(host), config_(std::move(config)), cli_(config_) {}

TailscaleAdapter::~TailscaleAdapter() {
    stop();
}

namespace {
std::string require_cli(const std::string& program) {
    auto path = tunnel_common::find_program(program);
    if (!path) {
        throw std::runtime_error(
            "the tailscale CLI (" + program +
            ") was not found on PATH: install Tailscale (https://tailscale.com/download) or set "
            "\"tailscale\" in the plugin's config to its full path");
    }
    return *path;
}
}  // namespace

sdk::DaemonInfo TailscaleAdapter::daemon() {
    auto path = require_cli(config_.program);
    const auto v = cli_.run({"version"});
    if (v.exit_code != 0) {
        throw std::runtime_error("`tailscale version` failed: " + last_line(v.output + v.error));
    }
    return {std::move(path), parse_tailscale_version(v.output)};
}

void TailscaleAdapter::preflight() {
    if (auto problem = version_problem(daemon().version)) {
        throw std::runtime_error(*problem);
    }
    const auto st = cli_.status();
    if (!st.json) {
        throw std::runtime_error("cannot read `tailscale status --json`: " + st.error +
                                 " (is tailscaled running? start it, then `tailscale up`)");
    }
    const auto state = backend_state(*st.json);
    if (state != "Running") throw std::runtime_error(not_running_advice(state));
    if (self_dns_name(*st.json).empty()) {
        throw std::runtime_error(
            "tailscale reports no DNS name for this machine: turn on MagicDNS in the Tailscale "
            "admin console (DNS page)");
    }
    if (config_.mode == ExposeMode::funnel) {
        if (auto refusal = funnel_refusal(*st.json, config_.https_port))
            throw std::runtime_error(*refusal);
    }
}

void TailscaleAdapter::start(const sdk::TunnelTarget& target, sdk::TunnelEvents& events) {
    target_url_ = proxy_target(target);
    keeper_.attach(&events);
    keeper_.set_state(sdk::TunnelState::starting, "applying tailscale " + cli_.command_word());
    started_ = true;
    loop_.start(config_.poll_interval, [this] { tick(); });
}

void TailscaleAdapter::trouble(const std::string& detail) {
    // The kernel logs failed/degraded reports (once a spell, see TunnelEventsSink).
    if (detail != last_trouble_) host_.logger().debug(detail);
    last_trouble_ = detail;
    keeper_.set_state(was_ready_ ? sdk::TunnelState::degraded : sdk::TunnelState::failed, detail);
}

void TailscaleAdapter::tick() {
    std::lock_guard lock(tick_mutex_);
    const auto st = cli_.status();
    if (!st.json) return trouble("tailscaled is not answering: " + st.error);
    const auto state = backend_state(*st.json);
    if (state != "Running") return trouble(not_running_advice(state));
    const auto dns = self_dns_name(*st.json);
    if (dns.empty())
        return trouble("tailscale reports no DNS name for this machine (MagicDNS off?)");
    if (config_.mode == ExposeMode::funnel) {
        if (auto refusal = funnel_refusal(*st.json, config_.https_port)) return trouble(*refusal);
    }
    auto sc = cli_.serve_config();
    if (!sc.json) return trouble("cannot read `tailscale serve status --json`: " + sc.error);
    auto match = match_serve_config(*sc.json, dns, config_.https_port, target_url_, config_.mode);
    if (match.entry != ServeEntry::ours) {
        const auto port = std::to_string(config_.https_port);
        if (match.entry == ServeEntry::other_target) {
            host_.logger().warn("https port " + port + " on this machine proxied to " +
                                match.current_target + "; replacing it with " + target_url_);
        } else if (applied_) {
            ++reapplies_;
            host_.logger().warn(
                "the tailscale " + cli_.command_word() + " entry for port " + port +
                " is gone (tailscaled restarted or it was turned off); applying it again");
        }
        const auto r = cli_.apply(target_url_);
        if (r.exit_code != 0) {
            auto why = last_line(r.output + r.error);
            return trouble(
                "`tailscale " + cli_.command_word() + " --bg --https=" + port +
                "` failed: " + (why.empty() ? "exit " + std::to_string(r.exit_code) : why));
        }
        applied_ = true;
        host_.logger().info("tailscale " + cli_.command_word() + " --https=" + port + " -> " +
                            target_url_);
        sc = cli_.serve_config();
        if (!sc.json) return trouble("cannot read `tailscale serve status --json`: " + sc.error);
        match = match_serve_config(*sc.json, dns, config_.https_port, target_url_, config_.mode);
        if (match.entry != ServeEntry::ours)
            return trouble("tailscale accepted the " + cli_.command_word() +
                           " config but `tailscale serve status` does not show it");
    }
    applied_ = true;
    was_ready_ = true;
    last_trouble_.clear();
    const auto url = public_url(dns, config_.https_port);
    keeper_.update([&](sdk::TunnelStatus& s) {
        s.state = sdk::TunnelState::ready;
        s.detail.clear();
        s.public_url = url;
        s.restarts = reapplies_;
    });
}

void TailscaleAdapter::stop() noexcept {
    if (!started_.exchange(false)) return;
    loop_.stop();
    try {
        std::lock_guard lock(tick_mutex_);
        if (applied_ && config_.turn_off_on_stop) {
            const auto r = cli_.turn_off();
            if (r.exit_code == 0) {
                host_.logger().info("tailscale " + cli_.command_word() + " --https=" +
                                    std::to_string(config_.https_port) + " turned off");
            } else {
                host_.logger().warn("could not turn tailscale " + cli_.command_word() +
                                    " off: " + last_line(r.output + r.error));
            }
        }
        keeper_.set_state(sdk::TunnelState::stopped);
    } catch (...) {
    }
    keeper_.attach(nullptr);
}

}  // namespace mcpproxy::tunnel_tailscale
