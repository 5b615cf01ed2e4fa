#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "mcpproxy/sdk/host.hpp"
#include "mcpproxy/sdk/testing/recording_logger.hpp"
#include "mcpproxy/sdk/testing/scripted_http_client.hpp"

namespace mcpproxy::sdk::testing {

// What a command printed and returned when a test ran it.
struct CommandOutcome {
    int exit_code = 0;
    std::string out;
    std::string err;
};

// A command line for run_command: options by long name without dashes, flags, positionals.
struct CommandArguments {
    std::map<std::string, std::string> options;
    std::set<std::string> flags;
    std::map<std::string, std::string> positionals;
};

// Runs a registered CommandSpec the way the host would, minus the command-line parsing.
class TestCommandContext final : public CommandContext {
public:
    TestCommandContext(const CommandSpec& spec, CommandArguments args)
        : spec_(spec), args_(std::move(args)) {}

    [[nodiscard]] std::optional<std::string> option(std::string_view name) const override {
        if (const auto it = args_.options.find(std::string(name)); it != args_.options.end()) {
            return it->second;
        }
        for (const auto& o : spec_.options) {
            if (long_name(o.name) == name && !o.is_flag && !o.default_value.empty()) {
                return o.default_value;
            }
        }
        return std::nullopt;
    }
    [[nodiscard]] bool flag(std::string_view name) const override {
        return args_.flags.count(std::string(name)) > 0;
    }
    [[nodiscard]] std::optional<std::string> positional(std::string_view name) const override {
        const auto it = args_.positionals.find(std::string(name));
        if (it == args_.positionals.end()) return std::nullopt;
        return it->second;
    }
    [[nodiscard]] std::ostream& out() const override { return out_; }
    [[nodiscard]] std::ostream& err() const override { return err_; }

    [[nodiscard]] std::string out_text() const { return out_.str(); }
    [[nodiscard]] std::string err_text() const { return err_.str(); }

    // "-o,--output" -> "output"; "--servers" -> "servers".
    static std::string_view long_name(std::string_view spec_name) {
        if (const auto comma = spec_name.rfind(','); comma != std::string_view::npos) {
            spec_name.remove_prefix(comma + 1);
        }
        while (!spec_name.empty() && spec_name.front() == '-') spec_name.remove_prefix(1);
        return spec_name;
    }

private:
    const CommandSpec& spec_;
    CommandArguments args_;
    mutable std::ostringstream out_;
    mutable std::ostringstream err_;
};

// The Host a plugin sees, for unit tests of a plugin without a running mcpproxy. It records
// what the plugin registers and logs; a test sets config, clock, HTTP answers and processes.
class TestHost final : public Host {
public:
    explicit TestHost(std::string config_json = "{}", std::string data_dir = {})
        : config_json_(std::move(config_json)), data_dir_(std::move(data_dir)) {}

    // Host
    [[nodiscard]] Logger& logger() override { return logger_; }
    [[nodiscard]] std::string_view config_json() const override { return config_json_; }
    [[nodiscard]] std::string data_dir() const override {
        if (data_dir_.empty()) throw std::runtime_error("TestHost: no data dir was given");
        return data_dir_;
    }
    [[nodiscard]] std::chrono::system_clock::time_point now() const override {
        const std::lock_guard lock(mutex_);
        return now_ ? *now_ : std::chrono::system_clock::now();
    }
    [[nodiscard]] ProcessSupervisor& processes() override {
        if (processes_ == nullptr) {
            throw std::runtime_error(
                "TestHost: no process supervisor; give one with use_processes()");
        }
        return *processes_;
    }
    [[nodiscard]] HttpClient& http() override { return http_ != nullptr ? *http_ : scripted_http_; }
    void register_command(CommandSpec command) override {
        const std::lock_guard lock(mutex_);
        commands_.push_back(std::move(command));
    }
    void register_route(RouteSpec route) override {
        const std::lock_guard lock(mutex_);
        routes_.push_back(std::move(route));
    }

    [[nodiscard]] std::vector<UpstreamServerInfo> upstream_servers() const override {
        const std::lock_guard lock(mutex_);
        return upstream_servers_;
    }
    [[nodiscard]] std::vector<std::string> public_urls() const override {
        const std::lock_guard lock(mutex_);
        return public_urls_;
    }

    // Set-up
    void set_upstream_servers(std::vector<UpstreamServerInfo> servers) {
        const std::lock_guard lock(mutex_);
        upstream_servers_ = std::move(servers);
    }
    void set_public_urls(std::vector<std::string> urls) {
        const std::lock_guard lock(mutex_);
        public_urls_ = std::move(urls);
    }
    void set_now(std::chrono::system_clock::time_point t) {
        const std::lock_guard lock(mutex_);
        now_ = t;
    }
    void advance(std::chrono::system_clock::duration d) {
        const std::lock_guard lock(mutex_);
        now_ = (now_ ? *now_ : std::chrono::system_clock::now()) + d;
    }
    void use_processes(ProcessSupervisor& supervisor) { processes_ = &supervisor; }
    void use_http(HttpClient& client) { http_ = &client; }

    // Observation
    [[nodiscard]] RecordingLogger& log() { return logger_; }
    [[nodiscard]] ScriptedHttpClient& scripted_http() { return scripted_http_; }
    [[nodiscard]] std::vector<std::string> command_paths() const {
        const std::lock_guard lock(mutex_);
        std::vector<std::string> paths;
        for (const auto& c : commands_) paths.push_back(c.path);
        return paths;
    }

    // Runs the command registered under path ("token create"); throws when there is none.
    CommandOutcome run_command(std::string_view path, CommandArguments args = {}) const {
        const CommandSpec* spec = nullptr;
        {
            const std::lock_guard lock(mutex_);
            for (const auto& c : commands_) {
                if (c.path == path) spec = &c;
            }
        }
        if (spec == nullptr) {
            throw std::runtime_error("TestHost: no command \"" + std::string(path) +
                                     "\" registered");
        }
        TestCommandContext context(*spec, std::move(args));
        const int code = spec->run(context);
        return {code, context.out_text(), context.err_text()};
    }

    // Calls the route registered for (surface, first path segment below it) with request.
    RouteResponse call_route(RouteSurface surface, const RouteRequest& request) const {
        const std::string_view root =
            surface == RouteSurface::management ? "/api/v1/" : "/.well-known/";
        std::string_view path = request.path();
        if (path.substr(0, root.size()) == root) path.remove_prefix(root.size());
        // The handler runs outside the lock: it may call back into the host (public_urls()).
        std::function<RouteResponse(const RouteRequest&)> handler;
        {
            const std::lock_guard lock(mutex_);
            for (const auto& r : routes_) {
                const bool prefix_matches =
                    path.substr(0, r.prefix.size()) == r.prefix &&
                    (path.size() == r.prefix.size() || path[r.prefix.size()] == '/');
                if (r.surface == surface && prefix_matches) {
                    handler = r.handler;
                    break;
                }
            }
        }
        if (!handler) return {404, "application/json", R"({"error":"not_found"})", {}};
        return handler(request);
    }

private:
    mutable std::mutex mutex_;
    std::string config_json_;
    std::string data_dir_;
    std::optional<std::chrono::system_clock::time_point> now_;
    RecordingLogger logger_;
    ScriptedHttpClient scripted_http_;
    HttpClient* http_ = nullptr;
    ProcessSupervisor* processes_ = nullptr;
    std::vector<CommandSpec> commands_;
    std::vector<RouteSpec> routes_;
    std::vector<UpstreamServerInfo> upstream_servers_;
    std::vector<std::string> public_urls_;
};

}  // namespace mcpproxy::sdk::testing
