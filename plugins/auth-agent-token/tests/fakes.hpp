#pragma once

// Small hand-written fakes of the SDK interfaces the plugin talks to.

#include <atomic>
#include <cctype>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "mcpproxy/sdk/host.hpp"
#include "mcpproxy/sdk/request_view.hpp"

namespace agt_test {

class FakeLogger final : public mcpproxy::sdk::Logger {
public:
    void log(mcpproxy::sdk::LogLevel /*level*/, std::string_view message) override {
        std::lock_guard lock(mutex_);
        lines_.emplace_back(message);
    }
    [[nodiscard]] bool enabled(mcpproxy::sdk::LogLevel /*level*/) const override { return true; }
    [[nodiscard]] std::string all() const {
        std::lock_guard lock(mutex_);
        std::string out;
        for (const auto& l : lines_) out += l + '\n';
        return out;
    }

private:
    mutable std::mutex mutex_;
    std::vector<std::string> lines_;
};

// A clock tests can move; starts at the real time so records look plausible.
class FakeClock {
public:
    FakeClock() : now_(std::chrono::system_clock::now().time_since_epoch().count()) {}
    [[nodiscard]] std::chrono::system_clock::time_point now() const {
        return std::chrono::system_clock::time_point(
            std::chrono::system_clock::duration(now_.load()));
    }
    void advance(std::chrono::seconds d) {
        now_ += std::chrono::duration_cast<std::chrono::system_clock::duration>(d).count();
    }
    [[nodiscard]] auto function() const {
        return [this] { return now(); };
    }

private:
    std::atomic<std::chrono::system_clock::rep> now_;
};

class FakeHost final : public mcpproxy::sdk::Host {
public:
    FakeHost(std::string data_dir, std::string config_json = "{}")
        : data_dir_(std::move(data_dir)), config_(std::move(config_json)) {}

    mcpproxy::sdk::Logger& logger() override { return logger_; }
    [[nodiscard]] std::string_view config_json() const override { return config_; }
    [[nodiscard]] std::string data_dir() const override { return data_dir_; }
    [[nodiscard]] std::chrono::system_clock::time_point now() const override { return clock.now(); }
    mcpproxy::sdk::ProcessSupervisor& processes() override { throw std::logic_error("not used"); }
    mcpproxy::sdk::HttpClient& http() override { throw std::logic_error("not used"); }
    void register_command(mcpproxy::sdk::CommandSpec command) override {
        commands.push_back(std::move(command));
    }
    void register_route(mcpproxy::sdk::RouteSpec route) override {
        routes.push_back(std::move(route));
    }
    [[nodiscard]] std::vector<mcpproxy::sdk::UpstreamServerInfo> upstream_servers() const override {
        return {};
    }
    [[nodiscard]] std::vector<std::string> public_urls() const override { return {}; }

    [[nodiscard]] const mcpproxy::sdk::CommandSpec* command(std::string_view path) const {
        for (const auto& c : commands) {
            if (c.path == path) return &c;
        }
        return nullptr;
    }

    FakeClock clock;
    std::vector<mcpproxy::sdk::CommandSpec> commands;
    std::vector<mcpproxy::sdk::RouteSpec> routes;
    FakeLogger logger_;

private:
    std::string data_dir_;
    std::string config_;
};

class FakeRequest final : public mcpproxy::sdk::RequestView {
public:
    FakeRequest& with_header(std::string name, std::string value) {
        for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        headers_.emplace(std::move(name), std::move(value));
        return *this;
    }
    FakeRequest& with_query(std::string query) {
        query_ = std::move(query);
        return *this;
    }

    [[nodiscard]] std::string_view method() const override { return "POST"; }
    [[nodiscard]] std::string_view path() const override { return "/mcp"; }
    [[nodiscard]] std::string_view query() const override { return query_; }
    [[nodiscard]] std::optional<std::string_view> header(std::string_view name) const override {
        std::string key(name);
        for (auto& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        const auto it = headers_.find(key);
        if (it == headers_.end()) return std::nullopt;
        return it->second;
    }
    [[nodiscard]] std::string_view peer_address() const override { return "127.0.0.1"; }
    [[nodiscard]] std::string_view listener_name() const override { return "test"; }
    [[nodiscard]] bool is_tls() const override { return false; }
    [[nodiscard]] std::string_view peer_certificate_der() const override { return {}; }

private:
    std::multimap<std::string, std::string> headers_;
    std::string query_;
};

// Options and positionals as the kernel's CLI would hand them over.
class FakeCommandContext final : public mcpproxy::sdk::CommandContext {
public:
    std::map<std::string, std::string, std::less<>> options;
    std::map<std::string, std::string, std::less<>> positionals;
    mutable std::ostringstream out_stream;
    mutable std::ostringstream err_stream;

    [[nodiscard]] std::optional<std::string> option(std::string_view name) const override {
        const auto it = options.find(name);
        if (it == options.end()) return std::nullopt;
        return it->second;
    }
    [[nodiscard]] bool flag(std::string_view name) const override { return options.contains(name); }
    [[nodiscard]] std::optional<std::string> positional(std::string_view name) const override {
        const auto it = positionals.find(name);
        if (it == positionals.end()) return std::nullopt;
        return it->second;
    }
    [[nodiscard]] std::ostream& out() const override { return out_stream; }
    [[nodiscard]] std::ostream& err() const override { return err_stream; }
};

}  // namespace agt_test
