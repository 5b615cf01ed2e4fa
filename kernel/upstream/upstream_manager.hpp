#pragma once

#include <spdlog/logger.h>

#include <boost/asio/io_context.hpp>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "kernel/config/config.hpp"
#include "kernel/upstream/mcp_client.hpp"
#include "kernel/upstream/upstream_snapshot.hpp"

namespace mcpproxy::upstream {

// login_needed: the upstream refuses our credentials and a credentials plugin says a person must
// log in (last_error says how); retried slowly, or at once when the plugin's credentials change.
enum class UpstreamState { connecting, ready, failed, login_needed, disabled, stopped };
std::string_view to_string(UpstreamState state);

struct UpstreamStatus {
    std::string name;
    std::string transport;  // "stdio" | "http"
    UpstreamState state = UpstreamState::connecting;
    bool quarantined = false;
    std::string last_error;
    unsigned restarts = 0;
    std::size_t tools = 0;
};

using TransportFactory = std::function<std::shared_ptr<Transport>(
    boost::asio::any_io_executor, const config::UpstreamConfig&, std::shared_ptr<spdlog::logger>)>;

// Keeps one MCP client per configured upstream connected: connects at start, reconnects with
// capped back-off after a crash or a lost session, refreshes the tool/prompt/resource lists
// (also on list_changed) and publishes them as an immutable snapshot.
class UpstreamManager : public std::enable_shared_from_this<UpstreamManager> {
public:
    // Chooses the io_context each upstream lives on (its client, transport and supervising loop);
    // empty: `io`.
    using Placement = std::function<boost::asio::io_context&()>;
    UpstreamManager(boost::asio::io_context& io, const config::Config& config,
                    TransportFactory transports, Placement placement = {});
    ~UpstreamManager();

    void start();
    // Closes every upstream; blocks up to the given time.
    void stop(std::chrono::milliseconds limit);

    [[nodiscard]] std::shared_ptr<McpClient> client(std::string_view server) const;
    [[nodiscard]] std::shared_ptr<const UpstreamSnapshot> snapshot() const;
    [[nodiscard]] std::vector<UpstreamStatus> status() const;
    [[nodiscard]] std::chrono::milliseconds timeout_for(std::string_view server) const;
    // Operator actions (management API). Each returns false when no server has that name.
    bool restart(std::string_view server);
    bool approve(std::string_view server);  // lift quarantine: its tools become callable
    bool set_enabled(std::string_view server, bool enabled);
    // Config reload (SIGHUP). add: a new server, started unless disabled (false when the name is
    // taken). remove: stopped and forgotten, its tools leave the lists (false when unknown).
    bool add(const config::UpstreamConfig& server);
    bool remove(std::string_view server);

    // True once every enabled upstream has been tried at least once (connected or failed).
    [[nodiscard]] bool settled() const;

    // Called after a new snapshot is published, with which lists changed ("tools", "prompts",
    // "resources"). Runs on an I/O thread; must not block.
    void on_lists_changed(std::function<void(const std::vector<std::string>&)> handler);
    // Called for upstream notifications that belong to no call (e.g. resources/updated).
    void on_notification(
        std::function<void(const std::string& server, const nlohmann::json&)> handler);

private:
    struct Upstream;
    boost::asio::awaitable<void> supervise(std::shared_ptr<Upstream> upstream);
    // Waits until the next login-needed attempt is due: kLoginRetry passed, the transport's
    // credentials changed, or the wait was cancelled (restart, stop).
    boost::asio::awaitable<void> wait_for_login(std::shared_ptr<Upstream> upstream,
                                                std::shared_ptr<Transport> transport);
    boost::asio::awaitable<void> refresh(std::shared_ptr<Upstream> upstream,
                                         std::vector<std::string> which);
    void publish(const std::vector<std::string>& changed);
    // With bare names: one warning per name that several upstreams share (so it stays prefixed).
    void warn_shared_names(std::string_view what, const std::vector<std::string>& names);
    std::shared_ptr<Upstream> find(std::string_view server) const;
    boost::asio::io_context& home_for_upstream() { return placement_ ? placement_() : io_; }

    boost::asio::io_context& io_;
    Placement placement_;
    config::Config config_;
    TransportFactory transports_;
    std::shared_ptr<spdlog::logger> log_;
    mutable std::mutex mutex_;
    std::vector<std::shared_ptr<Upstream>> upstreams_;
    std::shared_ptr<const UpstreamSnapshot> snapshot_;
    // Upstreams publish from their own strands: a snapshot gathered earlier must never replace
    // one gathered later (that lost an upstream's tools after start). Guarded by mutex_.
    std::uint64_t gathered_generation_ = 0;
    std::uint64_t snapshot_generation_ = 0;
    std::function<void(const std::vector<std::string>&)> lists_changed_;
    std::function<void(const std::string&, const nlohmann::json&)> notification_handler_;
    bool stopping_ = false;
    std::set<std::string, std::less<>> warned_shared_names_;  // "<kind>:<name>"; guarded by mutex_
};

}  // namespace mcpproxy::upstream
