#include "kernel/app/config_reload.hpp"

#include <boost/asio/post.hpp>
#include <csignal>

#include "kernel/config/config_printer.hpp"
#include "kernel/log/logging.hpp"
#include "kernel/util/byte_size.hpp"

namespace mcpproxy::app {
namespace {

bool same_server(const config::UpstreamConfig& a, const config::UpstreamConfig& b) {
    return a.transport == b.transport && a.command == b.command && a.args == b.args &&
           a.env == b.env && a.working_dir == b.working_dir && a.url == b.url &&
           a.headers == b.headers && a.tls_verify == b.tls_verify && a.ca_file == b.ca_file &&
           a.timeout == b.timeout;
}

const config::UpstreamConfig* find_server(const config::Config& c, const std::string& name) {
    for (const auto& s : c.servers) {
        if (s.name == name) return &s;
    }
    return nullptr;
}

// Keys applied by a reload; every other top-level key of the effective config needs a restart.
bool reloadable_key(const std::string& key) {
    return key == "log_level" || key == "log_format" || key == "activity" || key == "mcpServers";
}

}  // namespace

bool ReloadPlan::empty() const {
    return !log_changed && !activity_changed && added.empty() && removed.empty() &&
           replaced.empty() && approved.empty() && enabled_changed.empty() && needs_restart.empty();
}

ReloadPlan plan_reload(const config::Config& applied, const config::Config& next) {
    ReloadPlan plan;
    plan.log_changed = applied.log_level != next.log_level || applied.log_format != next.log_format;
    plan.activity_changed = applied.activity.retention != next.activity.retention ||
                            applied.activity.max_size != next.activity.max_size;
    for (const auto& s : applied.servers) {
        if (find_server(next, s.name) == nullptr) plan.removed.push_back(s.name);
    }
    for (const auto& s : next.servers) {
        const auto* before = find_server(applied, s.name);
        if (before == nullptr) {
            plan.added.push_back(s);
        } else if (!same_server(*before, s) || (!before->quarantined && s.quarantined)) {
            // Quarantining a running server again takes a restart of that server.
            plan.replaced.push_back(s);
        } else {
            if (before->quarantined && !s.quarantined) plan.approved.push_back(s.name);
            if (before->enabled != s.enabled) plan.enabled_changed.emplace_back(s.name, s.enabled);
        }
    }
    const auto a = config::effective_config_redacted(applied);
    const auto b = config::effective_config_redacted(next);
    for (const auto& [key, value] : b.items()) {
        if (reloadable_key(key)) continue;
        if (!a.contains(key) || a[key] != value) plan.needs_restart.push_back(key);
    }
    for (const auto& [key, value] : a.items()) {
        if (!reloadable_key(key) && !b.contains(key)) plan.needs_restart.push_back(key);
    }
    // Redacted in the printout, so compared here.
    if (applied.api_key != next.api_key &&
        std::find(plan.needs_restart.begin(), plan.needs_restart.end(), "api_key") ==
            plan.needs_restart.end()) {
        plan.needs_restart.emplace_back("api_key");
    }
    return plan;
}

ConfigReloader::ConfigReloader(boost::asio::io_context& io, config::Config applied,
                               std::shared_ptr<upstream::UpstreamManager> upstreams, Hooks hooks)
    : signals_(io),
      applied_(std::move(applied)),
      upstreams_(std::move(upstreams)),
      hooks_(std::move(hooks)),
      log_(log::get("reload")) {}

void ConfigReloader::start() {
    signals_.add(SIGHUP);
    wait();
}

void ConfigReloader::stop() {
    boost::asio::post(signals_.get_executor(), [this] { signals_.cancel(); });
}

void ConfigReloader::wait() {
    signals_.async_wait([this](const boost::system::error_code& ec, int) {
        if (ec) return;
        reload();
        wait();
    });
}

ReloadPlan ConfigReloader::reload() {
    if (hooks_.before) hooks_.before();
    ReloadPlan plan;
    try {
        auto next = hooks_.load();
        plan = plan_reload(applied_, next);
        if (plan.log_changed) {
            log::configure(next.log_level,
                           next.log_format == "json" ? log::Format::json : log::Format::text);
        }
        for (const auto& name : plan.removed) upstreams_->remove(name);
        for (const auto& s : plan.replaced) {
            upstreams_->remove(s.name);
            upstreams_->add(s);
        }
        for (const auto& s : plan.added) upstreams_->add(s);
        for (const auto& [name, enabled] : plan.enabled_changed)
            upstreams_->set_enabled(name, enabled);
        for (const auto& name : plan.approved) upstreams_->approve(name);
        if (plan.activity_changed) {
            if (hooks_.activity) {
                hooks_.activity(next.activity);
                const auto shown = config::effective_config_redacted(next).at("activity");
                log_->info("config reload: activity log retention {}, max_size {}",
                           shown.at("retention").get<std::string>(),
                           next.activity.max_size == 0
                               ? std::string("unlimited")
                               : util::format_byte_size(next.activity.max_size));
            } else {
                plan.activity_changed = false;
                plan.needs_restart.emplace_back("activity");
            }
        }
        log_->info(
            "config reloaded: {} server(s) added, {} removed, {} restarted, {} approved, "
            "{} enabled/disabled{}",
            plan.added.size(), plan.removed.size(), plan.replaced.size(), plan.approved.size(),
            plan.enabled_changed.size(), plan.log_changed ? ", logging changed" : "");
        if (!plan.needs_restart.empty()) {
            std::string keys;
            for (const auto& k : plan.needs_restart) keys += (keys.empty() ? "" : ", ") + k;
            log_->warn("config reload: changes to {} take effect only after a restart", keys);
        }
        // What did not apply keeps its old value, so the next reload reports it again.
        auto kept = applied_;
        kept.log_level = next.log_level;
        kept.log_format = next.log_format;
        kept.servers = next.servers;
        if (plan.activity_changed) kept.activity = next.activity;
        applied_ = std::move(kept);
    } catch (const std::exception& e) {
        log_->error("config reload failed, nothing changed: {}", e.what());
        plan = ReloadPlan{};
    }
    if (hooks_.after) hooks_.after();
    return plan;
}

}  // namespace mcpproxy::app
