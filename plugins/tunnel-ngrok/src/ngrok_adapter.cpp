#include "ngrok_adapter.hpp"

#include <stdexcept>

#include "mcpproxy/tunnel_common/free_port.hpp"
#include "mcpproxy/tunnel_common/local_json.hpp"
#include "mcpproxy/tunnel_common/program_run.hpp"
#include "ngrok_agent_api.hpp"
#include "ngrok_files.hpp"
#include "ngrok_messages.hpp"

namespace mcpproxy::tunnel_ngrok {
namespace {

namespace tc = tunnel_common;

class Events final : public sdk::ProcessEvents {
public:
    explicit Events(NgrokAdapter& adapter) : adapter_(adapter) {}
    void on_started(int /*pid*/) override { adapter_.on_started(); }
    void on_line(sdk::OutputStream /*stream*/, std::string_view line) override {
        adapter_.on_line(line);
    }
    void on_exited(int code, bool will_restart) override { adapter_.on_exited(code, will_restart); }

private:
    NgrokAdapter& adapter_;
};

std::string upstream_url(const sdk::TunnelTarget& target) {
    std::string host = target.host;
    if (host.empty() || host == "0.0.0.0") host = "127.0.0.1";
    if (host == "::") host = "::1";
    if (host.find(':') != std::string::npos && host.front() != '[') host = "[" + host + "]";
    return "http://" + host + ":" + std::to_string(target.port);
}

std::string first_line(const std::string& text) {
    const auto start = text.find_first_not_of(" \r\n");
    if (start == std::string::npos) return {};
    return text.substr(start, text.find_first_of("\r\n", start) - start);
}

}  // namespace

NgrokAdapter::NgrokAdapter(sdk::Host& host, NgrokConfig config)
    : host_(host), config_(std::move(config)) {}

NgrokAdapter::~NgrokAdapter() {
    stop();
}

std::string parse_ngrok_version(const std::string& output) {
    // "ngrok version 3.18.4"
    static constexpr std::string_view kPrefix = "ngrok version ";
    const auto at = output.find(kPrefix);
    if (at == std::string::npos) return {};
    const auto start = at + kPrefix.size();
    const auto end = output.find_first_of(" \t\r\n", start);
    return output.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

sdk::DaemonInfo NgrokAdapter::daemon() {
    const auto path = tc::find_program(config_.program);
    if (!path) {
        throw std::runtime_error("the ngrok agent (" + config_.program +
                                 ") was not found on PATH: install ngrok v3 "
                                 "(https://ngrok.com/download) or set \"ngrok\" in the plugin's "
                                 "config to its full path");
    }
    const auto v = tc::run_program({config_.program, "version"});
    const auto version = parse_ngrok_version(v.output);
    if (v.exit_code != 0 || version.empty()) {
        throw std::runtime_error("`ngrok version` failed: " + first_line(v.output + v.error));
    }
    return {*path, version};
}

void NgrokAdapter::preflight() {
    const auto version = daemon().version;
    if (version.front() < '3' || version.find('.') != 1) {
        throw std::runtime_error("ngrok " + version +
                                 " is not supported: mcpproxy needs the v3 agent; update ngrok");
    }
    token_ = resolve_authtoken(config_);
    if (!token_ && config_.config_files.empty()) {
        throw std::runtime_error(
            "ngrok needs an authtoken and none is set (ngrok would fail with ERR_NGROK_4018): put "
            "it "
            "in the " +
            config_.authtoken_env +
            " environment variable (https://dashboard.ngrok.com/get-started/your-authtoken), or "
            "list your ngrok.yml in \"config_files\"");
    }
    dir_ = std::filesystem::path(host_.data_dir()) / "tunnel-ngrok";
    std::error_code ec;
    std::filesystem::create_directories(dir_, ec);
    std::filesystem::permissions(dir_, std::filesystem::perms::owner_all, ec);
    web_port_ = config_.web_port != 0 ? config_.web_port : tc::pick_free_loopback_port();
    write_private_file(dir_ / "ngrok.yml", agent_config_yaml(web_port_));
    if (config_.edge_auth_check)
        write_private_file(dir_ / "traffic-policy.yml", edge_auth_policy_yaml());
    std::vector<std::string> check{config_.program, "config", "check"};
    for (const auto& f : config_.config_files) check.insert(check.end(), {"--config", f});
    check.insert(check.end(), {"--config", (dir_ / "ngrok.yml").string()});
    const auto c = tc::run_program(check);
    if (c.exit_code != 0) {
        throw std::runtime_error("`ngrok config check` refused the configuration: " +
                                 redact(first_line(c.output + c.error), token_.value_or("")));
    }
}

void NgrokAdapter::start(const sdk::TunnelTarget& target, sdk::TunnelEvents& events) {
    upstream_ = upstream_url(target);
    keeper_.attach(&events);
    keeper_.set_state(sdk::TunnelState::starting, "starting ngrok");
    sdk::ProcessSpec spec;
    spec.name = "ngrok";
    spec.argv = {config_.program, "http", upstream_, "--log", "stdout", "--log-format", "json"};
    for (const auto& f : config_.config_files) spec.argv.insert(spec.argv.end(), {"--config", f});
    spec.argv.insert(spec.argv.end(), {"--config", (dir_ / "ngrok.yml").string()});
    if (!config_.url.empty()) spec.argv.insert(spec.argv.end(), {"--url", config_.url});
    if (config_.edge_auth_check)
        spec.argv.insert(spec.argv.end(),
                         {"--traffic-policy-file", (dir_ / "traffic-policy.yml").string()});
    if (token_) spec.env["NGROK_AUTHTOKEN"] = *token_;
    spec.backoff_initial = std::chrono::milliseconds(500);
    spec.backoff_max = std::chrono::milliseconds(30'000);
    stopping_ = false;
    started_ = true;
    {
        std::lock_guard lock(process_mutex_);
        process_ = host_.processes().spawn(std::move(spec), std::make_shared<Events>(*this));
    }
    loop_.start(config_.poll_interval, [this] { poll(); });
}

void NgrokAdapter::on_started() {
    last_error_code_ = 0;
    std::lock_guard lock(run_mutex_);
    run_started_ = std::chrono::steady_clock::now();
    ready_in_run_ = false;
}

void NgrokAdapter::on_line(std::string_view line) {
    const auto parsed = parse_log_line(line);
    if (host_.logger().enabled(sdk::LogLevel::debug)) {
        host_.logger().debug("ngrok: " + redact(std::string(line), token_.value_or("")));
    }
    if (!parsed) {
        if (const auto code = ngrok_error_code(line)) {
            report_error(*code, redact(first_line(std::string(line)), token_.value_or("")));
        }
        return;
    }
    if (parsed->msg == "started tunnel" && !parsed->url.empty()) {
        report_url(parsed->url);
        return;
    }
    if (!parsed->err.empty() && parsed->err != "<nil>") {
        if (const auto code = ngrok_error_code(parsed->err)) {
            report_error(*code, redact(first_line(parsed->err), token_.value_or("")));
        } else if (parsed->lvl == "eror" || parsed->lvl == "crit") {
            host_.logger().warn("ngrok: " + parsed->msg + ": " +
                                redact(first_line(parsed->err), token_.value_or("")));
        }
    }
}

void NgrokAdapter::report_url(const std::string& url) {
    unsigned restarts = 0;
    {
        std::lock_guard lock(process_mutex_);
        if (process_) restarts = process_->restarts();
    }
    {
        std::lock_guard lock(run_mutex_);
        ready_in_run_ = true;
    }
    keeper_.update([&](sdk::TunnelStatus& s) {
        s.state = sdk::TunnelState::ready;
        s.detail.clear();
        s.public_url = url;
        s.restarts = restarts;
    });
}

void NgrokAdapter::report_error(int code, const std::string& ngrok_words) {
    if (last_error_code_.exchange(code) == code) return;
    const auto explained = explain_ngrok_error(code);
    const auto detail = explained ? *explained : "ngrok failed: " + ngrok_words;
    host_.logger().error(detail);
    keeper_.set_state(sdk::TunnelState::failed, detail);
    if (error_is_permanent(code) && !stopping_.exchange(true)) {
        // Restarting cannot fix a missing or bad token: stop instead of hammering ngrok.
        std::lock_guard lock(process_mutex_);
        if (process_) process_->stop();  // from a callback: starts the stop and returns
    }
}

void NgrokAdapter::on_exited(int exit_code, bool will_restart) {
    const int code = last_error_code_.load();
    if (code != 0 && explain_ngrok_error(code)) return;  // the explanation is already the detail
    if (!started_ || stopping_) return;
    const auto detail = "ngrok exited (code " + std::to_string(exit_code) + ")" +
                        (will_restart ? std::string("; restarting") : std::string());
    const auto was = keeper_.get();
    keeper_.set_state(
        was.state == sdk::TunnelState::ready || was.state == sdk::TunnelState::degraded
            ? sdk::TunnelState::degraded
            : sdk::TunnelState::failed,
        detail);
}

void NgrokAdapter::poll() {
    if (stopping_) return;
    const auto base = "http://127.0.0.1:" + std::to_string(web_port_);
    std::string url;
    auto endpoints =
        tc::get_json(host_.http(), base + "/api/endpoints", std::chrono::milliseconds(1000));
    if (endpoints.json && endpoints.status == 200)
        url = url_from_endpoints(*endpoints.json, upstream_);
    if (url.empty() && endpoints.status != 0) {
        auto tunnels =
            tc::get_json(host_.http(), base + "/api/tunnels", std::chrono::milliseconds(1000));
        if (tunnels.json && tunnels.status == 200) url = url_from_tunnels(*tunnels.json, upstream_);
    }
    if (endpoints.status == 0) {
        // Not up yet (exits are reported on their own), or hung.
        report_if_late("its agent API (" + base + ") did not answer: " + endpoints.error);
        return;
    }
    auto st = tc::get_json(host_.http(), base + "/api/status", std::chrono::milliseconds(1000));
    const auto session = st.json ? session_status(*st.json) : std::string();
    if (!url.empty() && (session.empty() || session == "online")) {
        report_url(url);
    } else if (url.empty()) {
        std::string problem = "no tunnel URL in its agent API (" + base + ") yet";
        if (!endpoints.json)
            problem = "its agent API (" + base + ") answered something that is not JSON";
        report_if_late(problem);
    } else if (!session.empty() && session != "online" &&
               keeper_.get().state == sdk::TunnelState::ready) {
        keeper_.set_state(sdk::TunnelState::degraded, "the ngrok session is " + session);
    }
}

// A run that is still not ready after ready_timeout is reported failed (a hung agent, one whose
// API answers garbage), with the reason, instead of "starting" for ever (the kernel logs it).
void NgrokAdapter::report_if_late(const std::string& problem) {
    if (last_error_code_.load() != 0) return;  // an ngrok error is already the detail
    {
        std::lock_guard lock(run_mutex_);
        if (ready_in_run_ || run_started_ == std::chrono::steady_clock::time_point{} ||
            std::chrono::steady_clock::now() - run_started_ < config_.ready_timeout) {
            return;
        }
    }
    keeper_.set_state(sdk::TunnelState::failed, "ngrok is not ready after " +
                                                    std::to_string(config_.ready_timeout.count()) +
                                                    " ms: " + problem + "; still waiting for it");
}

void NgrokAdapter::stop() noexcept {
    if (!started_.exchange(false)) return;
    stopping_ = true;
    loop_.stop();
    std::unique_ptr<sdk::SupervisedProcess> process;
    {
        std::lock_guard lock(process_mutex_);
        process = std::move(process_);
    }
    try {
        if (process) process->stop();
        keeper_.set_state(sdk::TunnelState::stopped);
    } catch (...) {
    }
    keeper_.attach(nullptr);
}

}  // namespace mcpproxy::tunnel_ngrok
