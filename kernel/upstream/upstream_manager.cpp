#include "kernel/upstream/upstream_manager.hpp"

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/experimental/concurrent_channel.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <future>
#include <set>
#include <utility>

#include "kernel/log/logging.hpp"
#include "kernel/process/backoff.hpp"
#include "kernel/tools/public_names.hpp"
#include "kernel/tools/tool_descriptor.hpp"
#include "kernel/upstream/upstream_error.hpp"

namespace mcpproxy::upstream {
namespace asio = boost::asio;

namespace {
constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);
constexpr std::chrono::seconds kConnectTimeout{30};
constexpr std::chrono::seconds kListTimeout{30};
constexpr std::size_t kMaxPages = 100;
// An upstream that needs a login is tried again this rarely (no 401 storm) ...
constexpr std::chrono::seconds kLoginRetry{30};
// ... or as soon as its credentials change (a login elsewhere), checked this often.
constexpr std::chrono::seconds kLoginPoll{1};

// (A function, not a braced list at the call site: GCC 12 cannot keep an initializer_list's
// array alive across co_await.)
std::vector<std::string> all_lists() {
    return {"tools", "prompts", "resources"};
}

// A view of a listed item's "name" (empty when it has none); lives as long as the item.
std::string_view name_of(const nlohmann::json& item) {
    const auto it = item.find("name");
    if (it == item.end() || !it->is_string()) return {};
    return it->get_ref<const std::string&>();
}
}  // namespace

std::string_view to_string(UpstreamState state) {
    switch (state) {
        case UpstreamState::connecting:
            return "connecting";
        case UpstreamState::ready:
            return "ready";
        case UpstreamState::failed:
            return "failed";
        case UpstreamState::login_needed:
            return "login_needed";
        case UpstreamState::disabled:
            return "disabled";
        case UpstreamState::stopped:
            return "stopped";
    }
    return "unknown";
}

struct UpstreamManager::Upstream {
    Upstream(asio::io_context& io, config::UpstreamConfig c)
        : config(std::move(c)), executor(asio::make_strand(io)), wake(io, 4), timer(io) {}
    config::UpstreamConfig config;
    asio::any_io_executor executor;
    // Signals the supervising loop: the upstream closed, a list changed, or stop.
    asio::experimental::concurrent_channel<void(boost::system::error_code, std::string)> wake;
    asio::steady_timer timer;
    std::shared_ptr<spdlog::logger> log;
    std::shared_ptr<McpClient> client;  // guarded by the manager's mutex
    UpstreamState state = UpstreamState::connecting;
    std::string last_error;
    unsigned restarts = 0;
    bool attempted = false;
    // The operator asked for a restart of a connected upstream: reconnect at once, and keep its
    // lists meanwhile, so that callers see "unavailable" for a moment rather than unknown tools.
    bool restart_requested = false;  // guarded by the manager's mutex
    std::vector<tools::ToolDescriptor> tools;
    std::vector<nlohmann::json> prompts;
    std::vector<nlohmann::json> resources;
    std::vector<nlohmann::json> templates;
};

UpstreamManager::UpstreamManager(asio::io_context& io, const config::Config& config,
                                 TransportFactory transports, Placement placement)
    : io_(io),
      placement_(std::move(placement)),
      config_(config),
      transports_(std::move(transports)),
      log_(log::get("upstreams")),
      snapshot_(
          std::make_shared<UpstreamSnapshot>(UpstreamSnapshot{.tools = tools::Catalog::make({})})) {
    for (const auto& s : config_.servers) {
        auto u = std::make_shared<Upstream>(home_for_upstream(), s);
        u->log = log::get("upstream:" + s.name);
        if (!s.enabled) u->state = UpstreamState::disabled;
        upstreams_.push_back(std::move(u));
    }
}

UpstreamManager::~UpstreamManager() = default;

void UpstreamManager::on_lists_changed(
    std::function<void(const std::vector<std::string>&)> handler) {
    std::lock_guard lock(mutex_);
    lists_changed_ = std::move(handler);
}

void UpstreamManager::on_notification(
    std::function<void(const std::string&, const nlohmann::json&)> handler) {
    std::lock_guard lock(mutex_);
    notification_handler_ = std::move(handler);
}

void UpstreamManager::start() {
    for (auto& u : upstreams_) {
        if (u->state == UpstreamState::disabled) continue;
        asio::co_spawn(u->executor, supervise(u), asio::detached);
    }
}

asio::awaitable<void> UpstreamManager::supervise(std::shared_ptr<Upstream> u) {
    auto self = shared_from_this();
    process::Backoff backoff(std::chrono::milliseconds(500), std::chrono::seconds(30));
    for (;;) {
        {
            std::lock_guard lock(mutex_);
            if (stopping_ || !u->config.enabled) break;
            u->state = UpstreamState::connecting;
        }
        const auto started = std::chrono::steady_clock::now();
        std::shared_ptr<McpClient> client;
        std::shared_ptr<Transport> transport;
        try {
            transport = transports_(u->executor, u->config, u->log);
            client = std::make_shared<McpClient>(u->executor, u->config.name, transport, u->log);
            std::weak_ptr<Upstream> weak_u = u;
            const std::string name = u->config.name;
            client->on_closed([weak_u](const std::string& reason) {
                if (auto up = weak_u.lock()) {
                    up->wake.try_send(boost::system::error_code{}, "closed:" + reason);
                }
            });
            client->on_notification([weak_u, this, name](const nlohmann::json& n) {
                const auto method = n.value("method", std::string());
                auto up = weak_u.lock();
                if (!up) return;
                const boost::system::error_code ok;
                if (method == "notifications/tools/list_changed") {
                    up->wake.try_send(ok, std::string("tools"));
                } else if (method == "notifications/prompts/list_changed") {
                    up->wake.try_send(ok, std::string("prompts"));
                } else if (method == "notifications/resources/list_changed") {
                    up->wake.try_send(ok, std::string("resources"));
                } else {
                    std::function<void(const std::string&, const nlohmann::json&)> handler;
                    {
                        std::lock_guard lock(mutex_);
                        handler = notification_handler_;
                    }
                    if (handler) handler(name, n);
                }
            });
            co_await client->connect(kConnectTimeout);
            const auto info = client->server_info();
            u->log->info("connected ({}, {} {}, protocol {})", transport->describe(),
                         info.value("name", std::string("?")),
                         info.value("version", std::string("?")), client->protocol_version());
            {
                std::lock_guard lock(mutex_);
                u->client = client;
                u->state = UpstreamState::ready;
                u->last_error.clear();
            }
            co_await refresh(u, all_lists());
            {
                std::lock_guard lock(mutex_);
                u->attempted = true;
            }
            // Serve until the upstream closes or we stop; refresh lists when they change.
            for (;;) {
                auto [ec, what] = co_await u->wake.async_receive(kTuple);
                if (ec || what == "stop") break;
                if (what.starts_with("closed:")) {
                    u->log->warn("upstream went away: {}", what.substr(7));
                    std::lock_guard lock(mutex_);
                    u->last_error = what.substr(7);
                    break;
                }
                std::vector<std::string> one;
                one.push_back(what);
                co_await refresh(u, std::move(one));
            }
        } catch (const std::exception& e) {
            u->log->warn("connection failed: {}", e.what());
            std::lock_guard lock(mutex_);
            u->last_error = e.what();
        }
        std::optional<std::string> login;
        if (transport) login = transport->login_needed();
        bool requested = false;
        {
            std::lock_guard lock(mutex_);
            requested = std::exchange(u->restart_requested, false) && !login;
            u->attempted = true;
            u->client.reset();
            u->state = stopping_   ? UpstreamState::stopped
                       : login     ? UpstreamState::login_needed
                       : requested ? UpstreamState::connecting
                                   : UpstreamState::failed;
            if (login) u->last_error = *login;
            if (!requested) {
                u->tools.clear();
                u->prompts.clear();
                u->resources.clear();
                u->templates.clear();
            }
        }
        if (!requested) publish(all_lists());
        if (client) co_await client->close();
        {
            std::lock_guard lock(mutex_);
            if (stopping_ || !u->config.enabled) break;
            ++u->restarts;
        }
        if (login) {
            u->log->info("login needed: retrying in {} s or when its credentials change",
                         kLoginRetry.count());
            co_await wait_for_login(u, transport);
            continue;
        }
        if (requested) {
            // The reconnection after an operator's restart is not a failure: no back-off.
            backoff.reset();
            u->log->info("restarting at the operator's request");
            continue;
        }
        backoff.record_uptime(std::chrono::steady_clock::now() - started);
        const auto delay = backoff.next_delay();
        u->log->info("reconnecting in {} ms", delay.count());
        u->timer.expires_after(delay);
        co_await u->timer.async_wait(kTuple);
    }
    std::lock_guard lock(mutex_);
    u->state = u->config.enabled ? UpstreamState::stopped : UpstreamState::disabled;
}

asio::awaitable<void> UpstreamManager::wait_for_login(std::shared_ptr<Upstream> u,
                                                      std::shared_ptr<Transport> transport) {
    const auto seen = transport->credentials_fingerprint();
    const auto until = std::chrono::steady_clock::now() + kLoginRetry;
    while (std::chrono::steady_clock::now() < until) {
        u->timer.expires_after(kLoginPoll);
        auto [ec] = co_await u->timer.async_wait(kTuple);
        if (ec) co_return;  // cancelled: restart or stop
        {
            std::lock_guard lock(mutex_);
            if (stopping_ || !u->config.enabled) co_return;
        }
        if (transport->credentials_fingerprint() != seen) {
            u->log->info("its credentials changed: reconnecting");
            co_return;
        }
    }
}

namespace {

// Collects every page of a list method ("tools/list" -> "tools").
asio::awaitable<std::vector<nlohmann::json>> list_all(McpClient& client, const std::string& method,
                                                      const std::string& key) {
    std::vector<nlohmann::json> items;
    nlohmann::json cursor;
    for (std::size_t page = 0; page < kMaxPages; ++page) {
        nlohmann::json params = nlohmann::json::object();
        if (!cursor.is_null()) params["cursor"] = cursor;
        CallOptions options;
        options.timeout = kListTimeout;
        const auto result = co_await client.call(method, params, options);
        if (const auto it = result.find(key); it != result.end() && it->is_array()) {
            for (const auto& item : *it) items.push_back(item);
        }
        const auto next = result.find("nextCursor");
        if (next == result.end() || next->is_null()) break;
        cursor = *next;
    }
    co_return items;
}

}  // namespace

asio::awaitable<void> UpstreamManager::refresh(std::shared_ptr<Upstream> u,
                                               std::vector<std::string> which) {
    std::shared_ptr<McpClient> client;
    {
        std::lock_guard lock(mutex_);
        client = u->client;
    }
    if (!client) co_return;
    const auto caps = client->server_capabilities();
    for (const auto& what : which) {
        try {
            if (what == "tools" && caps.contains("tools")) {
                std::vector<tools::ToolDescriptor> list;
                for (const auto& t : co_await list_all(*client, "tools/list", "tools")) {
                    try {
                        list.push_back(tools::from_mcp_tool(u->config.name, t));
                    } catch (const std::exception& e) {
                        u->log->warn("skipped a tool: {}", e.what());
                    }
                }
                std::lock_guard lock(mutex_);
                u->tools = std::move(list);
            } else if (what == "prompts" && caps.contains("prompts")) {
                auto list = co_await list_all(*client, "prompts/list", "prompts");
                std::lock_guard lock(mutex_);
                u->prompts = std::move(list);
            } else if (what == "resources" && caps.contains("resources")) {
                auto list = co_await list_all(*client, "resources/list", "resources");
                auto templates =
                    co_await list_all(*client, "resources/templates/list", "resourceTemplates");
                std::lock_guard lock(mutex_);
                u->resources = std::move(list);
                u->templates = std::move(templates);
            }
        } catch (const std::exception& e) {
            u->log->warn("listing {} failed: {}", what, e.what());
        }
    }
    {
        std::lock_guard lock(mutex_);
        u->log->debug("lists refreshed: {} tools, {} prompts, {} resources", u->tools.size(),
                      u->prompts.size(), u->resources.size());
    }
    publish(which);
}

void UpstreamManager::publish(const std::vector<std::string>& changed) {
    auto snap = std::make_shared<UpstreamSnapshot>();
    std::vector<tools::ToolDescriptor> all_tools;
    std::function<void(const std::vector<std::string>&)> notify;
    std::uint64_t generation = 0;
    {
        std::lock_guard lock(mutex_);
        generation = ++gathered_generation_;
        for (const auto& u : upstreams_) {
            if (u->state != UpstreamState::ready || u->config.quarantined || !u->config.enabled)
                continue;
            std::set<std::string> seen;  // an upstream listing a name twice keeps the first
            for (const auto& t : u->tools) {
                if (seen.insert(t.name).second) all_tools.push_back(t);
            }
            for (const auto& p : u->prompts) snap->prompts.push_back({u->config.name, p});
            for (const auto& r : u->resources) {
                snap->resources.push_back({u->config.name, r});
                if (r.contains("uri") && r["uri"].is_string()) {
                    snap->resource_server.emplace(r["uri"].get<std::string>(), u->config.name);
                }
            }
            for (const auto& t : u->templates)
                snap->resource_templates.push_back({u->config.name, t});
            snap->servers.push_back(u->config.name);
        }
        notify = lists_changed_;
    }
    const auto naming = config_.tool_names == config::ToolNames::bare
                            ? tools::DirectNames::bare
                            : tools::DirectNames::prefixed;
    snap->bare_names = naming == tools::DirectNames::bare;
    std::vector<tools::NamedItem> prompt_items;
    for (const auto& p : snap->prompts) prompt_items.push_back({p.server, name_of(p.item)});
    snap->prompt_names = tools::public_names(prompt_items, naming);
    std::vector<tools::NamedItem> template_items;
    for (const auto& t : snap->resource_templates) {
        template_items.push_back({t.server, name_of(t.item)});
    }
    // Templates keep their upstream names unless bare naming must tell shared ones apart.
    if (snap->bare_names) {
        snap->template_names = tools::public_names(template_items, naming);
    } else {
        for (const auto& item : template_items) snap->template_names.emplace_back(item.name);
    }
    snap->tools = tools::Catalog::make(std::move(all_tools), naming);
    if (snap->bare_names) {
        warn_shared_names("tool", snap->tools->shared_tool_names());
        warn_shared_names("prompt", tools::shared_names(prompt_items));
        warn_shared_names("resource template", tools::shared_names(template_items));
    }
    {
        std::lock_guard lock(mutex_);
        if (generation > snapshot_generation_) {  // else a newer one is already in place
            snapshot_generation_ = generation;
            snapshot_ = std::move(snap);
        }
    }
    if (notify) notify(changed);
}

void UpstreamManager::warn_shared_names(std::string_view what,
                                        const std::vector<std::string>& names) {
    for (const auto& name : names) {
        {
            std::lock_guard lock(mutex_);
            if (!warned_shared_names_.insert(std::string(what) + ":" + name).second) continue;
        }
        log_->warn(
            "{} name \"{}\" is offered by more than one upstream; it is listed as "
            "<server>__{} for each of them",
            what, name, name);
    }
}

void UpstreamManager::stop(std::chrono::milliseconds limit) {
    std::vector<std::shared_ptr<Upstream>> ups;
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
        ups = upstreams_;
    }
    std::vector<std::future<void>> done;
    for (auto& u : ups) {
        u->wake.try_send(boost::system::error_code{}, std::string("stop"));
        u->timer.cancel();
        std::shared_ptr<McpClient> client;
        {
            std::lock_guard lock(mutex_);
            client = u->client;
        }
        if (client) {
            done.push_back(asio::co_spawn(u->executor, client->close(), asio::use_future));
        }
    }
    const auto deadline = std::chrono::steady_clock::now() + limit;
    for (auto& f : done) f.wait_until(deadline);
}

std::shared_ptr<UpstreamManager::Upstream> UpstreamManager::find(std::string_view server) const {
    std::lock_guard lock(mutex_);
    for (const auto& u : upstreams_) {
        if (u->config.name == server) return u;
    }
    return nullptr;
}

bool UpstreamManager::restart(std::string_view server) {
    auto u = find(server);
    if (!u) return false;
    bool connected = false;
    {
        std::lock_guard lock(mutex_);
        connected = u->state == UpstreamState::ready;
    }
    // A connected upstream is closed and reconnected; one waiting out its back-off retries now.
    if (connected) {
        {
            std::lock_guard lock(mutex_);
            u->restart_requested = true;
        }
        u->wake.try_send(boost::system::error_code{},
                         std::string("closed:restart requested by the operator"));
    } else {
        u->timer.cancel();
    }
    return true;
}

bool UpstreamManager::approve(std::string_view server) {
    auto u = find(server);
    if (!u) return false;
    {
        std::lock_guard lock(mutex_);
        u->config.quarantined = false;
    }
    publish(all_lists());
    return true;
}

bool UpstreamManager::set_enabled(std::string_view server, bool enabled) {
    auto u = find(server);
    if (!u) return false;
    bool start = false;
    {
        std::lock_guard lock(mutex_);
        const bool running =
            u->state != UpstreamState::disabled && u->state != UpstreamState::stopped;
        u->config.enabled = enabled;
        if (enabled && !running && !stopping_) {
            u->state = UpstreamState::connecting;
            start = true;
        }
    }
    if (start) {
        asio::co_spawn(u->executor, supervise(u), asio::detached);
    } else if (!enabled) {
        u->wake.try_send(boost::system::error_code{}, std::string("stop"));
        u->timer.cancel();
    }
    return true;
}

bool UpstreamManager::add(const config::UpstreamConfig& server) {
    auto u = std::make_shared<Upstream>(home_for_upstream(), server);
    u->log = log::get("upstream:" + server.name);
    bool start = false;
    {
        std::lock_guard lock(mutex_);
        for (const auto& existing : upstreams_) {
            if (existing->config.name == server.name) return false;
        }
        if (!server.enabled) u->state = UpstreamState::disabled;
        start = server.enabled && !stopping_;
        upstreams_.push_back(u);
    }
    if (start) asio::co_spawn(u->executor, supervise(u), asio::detached);
    return true;
}

bool UpstreamManager::remove(std::string_view server) {
    std::shared_ptr<Upstream> u;
    {
        std::lock_guard lock(mutex_);
        const auto it = std::find_if(upstreams_.begin(), upstreams_.end(),
                                     [&](const auto& x) { return x->config.name == server; });
        if (it == upstreams_.end()) return false;
        u = *it;
        upstreams_.erase(it);
        // Its supervising loop sees this, closes the client and ends.
        u->config.enabled = false;
    }
    u->wake.try_send(boost::system::error_code{}, std::string("stop"));
    u->timer.cancel();
    publish(all_lists());
    return true;
}

std::shared_ptr<McpClient> UpstreamManager::client(std::string_view server) const {
    std::lock_guard lock(mutex_);
    for (const auto& u : upstreams_) {
        if (u->config.name == server) return u->state == UpstreamState::ready ? u->client : nullptr;
    }
    return nullptr;
}

std::shared_ptr<const UpstreamSnapshot> UpstreamManager::snapshot() const {
    std::lock_guard lock(mutex_);
    return snapshot_;
}

std::vector<UpstreamStatus> UpstreamManager::status() const {
    std::lock_guard lock(mutex_);
    std::vector<UpstreamStatus> out;
    for (const auto& u : upstreams_) {
        out.push_back({u->config.name,
                       u->config.transport == config::UpstreamTransport::stdio ? "stdio" : "http",
                       u->state, u->config.quarantined, u->last_error, u->restarts,
                       u->tools.size()});
    }
    return out;
}

std::chrono::milliseconds UpstreamManager::timeout_for(std::string_view server) const {
    std::lock_guard lock(mutex_);  // reload may add or remove upstreams meanwhile
    for (const auto& u : upstreams_) {
        if (u->config.name == server && u->config.timeout) return *u->config.timeout;
    }
    return config_.call_tool_timeout;
}

bool UpstreamManager::settled() const {
    std::lock_guard lock(mutex_);
    for (const auto& u : upstreams_) {
        if (u->state != UpstreamState::disabled && !u->attempted) return false;
    }
    return true;
}

}  // namespace mcpproxy::upstream
