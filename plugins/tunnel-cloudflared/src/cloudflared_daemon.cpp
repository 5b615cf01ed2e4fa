#include "cloudflared_daemon.hpp"

#include <mutex>

#include "cloudflared_log.hpp"
#include "mcpproxy/tunnel_common/free_port.hpp"
#include "mcpproxy/tunnel_common/local_json.hpp"

namespace mcpproxy::tunnel_cloudflared {
namespace tc = tunnel_common;
using sdk::TunnelState;

struct CloudflaredDaemon::Shared {
    std::mutex mutex;
    unsigned starts = 0;
    bool running = false;
    bool url_from_api = false;
    bool ever_ready = false;  // in the current run
    bool give_up = false;     // a permanent error: stop restarting
    bool token_rejected = false;
    bool stopping = false;  // stop() was asked: an exit now is expected, not a failure
    std::string last_error;
    std::chrono::steady_clock::time_point started_at;  // of the current run
};

namespace {

class DaemonEvents final : public sdk::ProcessEvents {
public:
    DaemonEvents(std::shared_ptr<CloudflaredDaemon::Shared> shared, tc::StatusKeeper& status,
                 sdk::Logger& log, bool quick, std::function<void()> poke)
        : shared_(std::move(shared)),
          status_(status),
          log_(log),
          quick_(quick),
          poke_(std::move(poke)) {}

    void on_started(int pid) override {
        unsigned starts = 0;
        {
            std::lock_guard lock(shared_->mutex);
            starts = ++shared_->starts;
            shared_->running = true;
            shared_->url_from_api = false;
            shared_->ever_ready = false;
            shared_->token_rejected = false;
            shared_->last_error.clear();
            shared_->started_at = std::chrono::steady_clock::now();
        }
        log_.debug("cloudflared started (pid " + std::to_string(pid) + ")");
        status_.update([&](sdk::TunnelStatus& s) {
            s.state = TunnelState::starting;
            s.detail = starts > 1 ? "cloudflared restarted; waiting for its connections" : "";
            s.restarts = starts - 1;
            if (quick_) s.public_url.clear();  // a new quick tunnel gets a new hostname
        });
        poke_();
    }

    void on_line(sdk::OutputStream /*stream*/, std::string_view line) override {
        const auto facts = read_log_line(line);
        if (facts.error) {
            log_.warn("cloudflared: " + facts.message);
        } else {
            log_.debug("cloudflared: " + facts.message);
        }
        bool set_url = false;
        {
            std::lock_guard lock(shared_->mutex);
            if (facts.error) shared_->last_error = facts.message;
            if (facts.token_rejected) shared_->token_rejected = true;
            set_url = quick_ && !facts.quick_url.empty() && !shared_->url_from_api;
        }
        if (set_url) status_.set_public_url(facts.quick_url);
        if (facts.registered) poke_();
    }

    void on_exited(int exit_code, bool will_restart) override {
        std::string detail = "cloudflared exited with code " + std::to_string(exit_code);
        bool give_up = false;
        {
            std::lock_guard lock(shared_->mutex);
            shared_->running = false;
            if (shared_->stopping) {
                log_.debug(detail + " (stopped)");
                return;
            }
            if (!shared_->last_error.empty()) detail += ": " + shared_->last_error;
            if (shared_->token_rejected) {
                give_up = true;
                shared_->give_up = true;
            }
        }
        if (give_up) {
            detail = "cloudflared rejected the tunnel token (" + detail +
                     "); put the token of this tunnel from the Cloudflare dashboard (Networks > "
                     "Tunnels) "
                     "in TUNNEL_TOKEN or the plugin's \"token\"; not restarting";
        } else if (will_restart) {
            detail += "; restarting";
        }
        log_.warn(detail);
        status_.set_state(will_restart && !give_up ? TunnelState::degraded : TunnelState::failed,
                          detail);
        poke_();
    }

private:
    std::shared_ptr<CloudflaredDaemon::Shared> shared_;
    tc::StatusKeeper& status_;
    sdk::Logger& log_;
    bool quick_;
    std::function<void()> poke_;
};

// What is wrong with a metrics API answer, or "" when it is a JSON object.
std::string api_problem(const std::string& url, const tc::JsonReply& reply) {
    const auto api = "its metrics API (" + url + ")";
    if (reply.status == 0) return api + " did not answer: " + reply.error;
    if (!reply.json && reply.status >= 400)  // 503 with JSON is how /ready says "0 connections"
        return api + " answered HTTP " + std::to_string(reply.status);
    if (!reply.json) return api + " answered something that is not JSON";
    if (!reply.json->is_object()) return api + " answered JSON of another shape";
    return {};
}

// A string member, or "" when absent or of another type (a daemon may answer anything).
std::string string_member(const nlohmann::json& object, const char* key) {
    const auto it = object.find(key);
    return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::string seconds_text(std::chrono::milliseconds d) {
    const auto ms = d.count();
    return ms % 1000 == 0
               ? std::to_string(ms / 1000) + " s"
               : std::to_string(ms / 1000) + "." + std::to_string(ms % 1000 / 100) + " s";
}

std::string host_for_url(const std::string& host) {
    if (host.empty() || host == "0.0.0.0") return "127.0.0.1";
    if (host == "::") return "[::1]";
    if (host.find(':') != std::string::npos) return "[" + host + "]";
    return host;
}

}  // namespace

std::string origin_url_of(const sdk::TunnelTarget& target) {
    return (target.scheme.empty() ? std::string("http") : target.scheme) + "://" +
           host_for_url(target.host) + ":" + std::to_string(target.port);
}

DaemonCommand build_command(const DaemonOptions& options) {
    DaemonCommand c;
    const auto metrics = "127.0.0.1:" + std::to_string(options.metrics_port);
    if (options.quick) {
        c.argv = {options.binary, "tunnel", "--url",          options.origin_url,
                  "--metrics",    metrics,  "--no-autoupdate"};
    } else {
        c.argv = {options.binary, "tunnel", "--no-autoupdate", "--metrics", metrics};
        if (!options.origin_url.empty()) {
            c.argv.emplace_back("--url");
            c.argv.push_back(options.origin_url);
        }
        c.argv.emplace_back("run");
        c.env["TUNNEL_TOKEN"] = options.token;
    }
    return c;
}

CloudflaredDaemon::CloudflaredDaemon(sdk::Host& host, DaemonOptions options,
                                     tc::StatusKeeper& status)
    : host_(host),
      options_(std::move(options)),
      status_(status),
      shared_(std::make_shared<Shared>()) {}

CloudflaredDaemon::~CloudflaredDaemon() {
    stop();
}

void CloudflaredDaemon::start() {
    if (options_.metrics_port == 0) options_.metrics_port = tc::pick_free_loopback_port();
    auto command = build_command(options_);
    sdk::ProcessSpec spec;
    spec.name = "cloudflared";
    spec.argv = std::move(command.argv);
    spec.env = std::move(command.env);
    spec.restart_on_exit = true;
    spec.stop_grace = options_.stop_grace;
    if (!options_.quick) {
        status_.update([&](sdk::TunnelStatus& s) {
            s.state = TunnelState::starting;
            s.public_url = "https://" + options_.public_hostname;
        });
    } else {
        status_.set_state(TunnelState::starting);
    }
    auto events = std::make_shared<DaemonEvents>(shared_, status_, host_.logger(), options_.quick,
                                                 [this] { poll_.poke(); });
    process_ = host_.processes().spawn(std::move(spec), std::move(events));
    poll_.start(options_.poll_interval, [this] { poll(); });
}

void CloudflaredDaemon::stop() noexcept {
    {
        std::lock_guard lock(shared_->mutex);
        shared_->stopping = true;
    }
    poll_.stop();
    if (process_) {
        try {
            process_->stop();
        } catch (...) {
        }
        process_.reset();
    }
}

int CloudflaredDaemon::pid() const {
    return process_ ? process_->pid() : 0;
}

void CloudflaredDaemon::poll() {
    unsigned run = 0;
    bool need_url = false;
    bool give_up = false;
    {
        std::lock_guard lock(shared_->mutex);
        give_up = shared_->give_up;
    }
    if (give_up) {
        // Not from the supervisor's callback (it cannot wait there): here, on the poll thread.
        // While it waits out its back-off the process is not running, but a restart is due:
        // stop() cancels that too. Once is enough.
        if (process_ && !gave_up_) {
            gave_up_ = true;
            process_->stop();
        }
        return;
    }
    {
        std::lock_guard lock(shared_->mutex);
        if (!shared_->running) return;
        run = shared_->starts;
        need_url = options_.quick && !shared_->url_from_api;
    }
    const auto base = "http://127.0.0.1:" + std::to_string(options_.metrics_port);
    auto& http = host_.http();
    if (need_url) {
        const auto reply = tc::get_json(http, base + "/quicktunnel");
        const auto hostname = reply.json && reply.json->is_object()
                                  ? string_member(*reply.json, "hostname")
                                  : std::string();
        if (!hostname.empty()) {
            const auto url = "https://" + hostname;
            std::lock_guard lock(shared_->mutex);
            if (shared_->starts == run && shared_->running) {
                shared_->url_from_api = true;
                status_.set_public_url(url);
            }
        }
    }
    const auto ready = tc::get_json(http, base + "/ready");
    std::string problem = api_problem(base + "/ready", ready);
    long connections = 0;
    if (problem.empty()) {
        const auto it = ready.json->find("readyConnections");
        if (it != ready.json->end() && it->is_number_integer())
            connections = it->get<long>();
        else
            problem =
                "its metrics API (" + base + "/ready) answered without a readyConnections count";
    }
    std::lock_guard lock(shared_->mutex);
    if (shared_->starts != run || !shared_->running) return;
    const bool have_url = !status_.get().public_url.empty();
    if (problem.empty() && connections > 0 && have_url) {
        shared_->ever_ready = true;
        status_.set_state(TunnelState::ready);
        return;
    }
    if (shared_->ever_ready && !problem.empty()) return;  // a blip: the next poll tells
    if (shared_->ever_ready && connections == 0) {
        status_.set_state(
            TunnelState::degraded,
            "cloudflared has no connection to the Cloudflare edge (readyConnections 0); it "
            "reconnects by itself" +
                (shared_->last_error.empty() ? std::string() : ": " + shared_->last_error));
        return;
    }
    if (!shared_->ever_ready &&
        std::chrono::steady_clock::now() - shared_->started_at >= options_.ready_timeout) {
        // Hung, or speaking garbage: say so instead of "starting" for ever.
        if (problem.empty()) {
            problem = connections > 0 ? "no quick-tunnel hostname"
                                      : "no connection to the Cloudflare edge";
            if (!shared_->last_error.empty())
                problem += " (last error: " + shared_->last_error + ")";
        }
        const auto detail = "cloudflared is not ready after " +
                            seconds_text(options_.ready_timeout) + ": " + problem +
                            "; still waiting for it";
        status_.set_state(TunnelState::failed, detail);
        return;
    }
    if (!problem.empty()) return;  // not listening yet
    if (connections > 0) {
        status_.set_state(TunnelState::starting,
                          "connected; waiting for the quick tunnel's hostname");
    } else {
        status_.set_state(TunnelState::starting,
                          "waiting for cloudflared to connect to the Cloudflare edge");
    }
}

}  // namespace mcpproxy::tunnel_cloudflared
