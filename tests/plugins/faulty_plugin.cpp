// A plugin with every kind of entry point (auth bridge, tunnel adapter, upstream credentials,
// health, a management route, a well-known route, a CLI command) that throws from the one its
// config names: {"throw_in": "<entry point>"} (see kEntryPoints). Everything else behaves: the
// bridge accepts "Bearer fault-ok" as "fault-ci", the tunnel is ready at once at
// https://faulty.example, the routes answer 200. `mcpproxy faulty` always throws. For the
// "a plugin throws from every entry point" fault tests (issue 9). "status" is accepted but the
// kernel never calls TunnelAdapter::status() (adapters push changes through TunnelEvents);
// "events_misuse" floods TunnelEvents with junk from four threads instead of throwing.
#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "mcpproxy/sdk/plugin.hpp"

namespace {

namespace sdk = mcpproxy::sdk;

const std::set<std::string> kEntryPoints{"",
                                         "auth_bridge",
                                         "tunnel_adapter",
                                         "upstream_credentials",
                                         "provider",
                                         "preflight",
                                         "daemon",
                                         "start_tunnel",
                                         "status",
                                         "verify_request",
                                         "health",
                                         "route",
                                         "well_known",
                                         "headers_for",
                                         "on_unauthorized",
                                         "non_std_route",
                                         "events_misuse",
                                         "credential_names",
                                         "setup_hint"};

// What a plugin bug looks like from the outside: a message with something that must stay private.
[[noreturn]] void fail(const std::string& where) {
    throw std::runtime_error("faulty " + where + " broke (secret=hunter2)");
}

class Faults {
public:
    explicit Faults(std::string throw_in) : throw_in_(std::move(throw_in)) {
        if (!kEntryPoints.contains(throw_in_))
            throw std::runtime_error("bad config: unknown throw_in \"" + throw_in_ + "\"");
    }
    void maybe(const std::string& where) const {
        if (where == throw_in_) fail(where);
    }
    [[nodiscard]] bool is(const std::string& where) const { return where == throw_in_; }

private:
    std::string throw_in_;
};

class Bridge final : public sdk::AuthBridge {
public:
    explicit Bridge(const Faults& faults) : faults_(faults) {}
    sdk::AuthResult authenticate(const sdk::RequestView& request) override {
        if (request.header("Authorization") != "Bearer fault-ok")
            return sdk::AuthResult::not_mine();
        sdk::Identity who;
        who.name = "fault-ci";
        who.kind = "test";
        who.allowed_servers = {"*"};
        return sdk::AuthResult::accept(who);
    }
    [[nodiscard]] std::vector<std::string> credential_names(std::size_t /*limit*/) const override {
        faults_.maybe("credential_names");
        if (faults_.is("setup_hint")) return {};  // so that tunnel mode asks for the hint
        return {"fault-ci"};
    }
    [[nodiscard]] std::string setup_hint() const override {
        faults_.maybe("setup_hint");
        return "run `mcpproxy faulty`";
    }

private:
    const Faults& faults_;
};

class Adapter final : public sdk::TunnelAdapter {
public:
    explicit Adapter(const Faults& faults) : faults_(faults) {}
    [[nodiscard]] std::string provider() const override {
        faults_.maybe("provider");
        return "faulty";
    }
    void preflight() override { faults_.maybe("preflight"); }
    sdk::DaemonInfo daemon() override {
        faults_.maybe("daemon");
        return {"/usr/bin/faultyd", "1.0"};
    }
    void start(const sdk::TunnelTarget& /*target*/, sdk::TunnelEvents& events) override {
        faults_.maybe("start_tunnel");
        if (faults_.is("events_misuse")) return flood(events);
        sdk::TunnelStatus ready;
        ready.state = sdk::TunnelState::ready;
        ready.public_url = "https://faulty.example";
        events.status_changed(ready);
    }
    void stop() noexcept override {}
    [[nodiscard]] sdk::TunnelStatus status() const override {
        faults_.maybe("status");
        return {};
    }
    bool verify_request(const sdk::RequestView& /*request*/) override {
        faults_.maybe("verify_request");
        return true;
    }

private:
    // Misuse of TunnelEvents: reports from four threads at once, as fast as they go, states
    // flapping, details and URLs of junk (not UTF-8, control characters, up to 64 KiB); the last
    // report is "failed" with 64 KiB of junk.
    static void flood(sdk::TunnelEvents& events) {
        std::vector<std::thread> threads;
        for (unsigned t = 0; t < 4; ++t) {
            threads.emplace_back([&events, t] {
                std::mt19937 random(t);
                for (unsigned i = 0; i < 100; ++i) {
                    sdk::TunnelStatus s;
                    s.state = static_cast<sdk::TunnelState>(1 + (i + t) % 4);
                    s.detail = junk(random, i % 25 == 0 ? 65536 : 200);
                    s.public_url = "https://" + junk(random, 40);
                    events.status_changed(s);
                }
            });
        }
        for (auto& t : threads) t.join();
        std::mt19937 random(99);
        sdk::TunnelStatus last;
        last.state = sdk::TunnelState::failed;
        last.detail = junk(random, 65536);
        events.status_changed(last);
    }
    static std::string junk(std::mt19937& random, std::size_t size) {
        std::string s(size, '\0');
        for (auto& c : s) c = static_cast<char>(random() % 256);
        return s;
    }

    const Faults& faults_;
};

class Credentials final : public sdk::UpstreamCredentials {
public:
    explicit Credentials(const Faults& faults) : faults_(faults) {}
    std::vector<sdk::HeaderField> headers_for(std::string_view /*server*/,
                                              std::string_view /*url*/) override {
        faults_.maybe("headers_for");
        return {};
    }
    sdk::UnauthorizedAnswer on_unauthorized(std::string_view /*server*/, std::string_view /*url*/,
                                            std::string_view /*challenge*/) override {
        faults_.maybe("on_unauthorized");
        return {};
    }

private:
    const Faults& faults_;
};

std::string throw_in_of(const sdk::Host& host) {
    const auto config = nlohmann::json::parse(host.config_json());
    return config.contains("throw_in") ? config["throw_in"].get<std::string>() : std::string();
}

class FaultyPlugin final : public sdk::Plugin {
public:
    explicit FaultyPlugin(sdk::Host& host)
        : faults_(throw_in_of(host)), bridge_(faults_), adapter_(faults_), credentials_(faults_) {
        host.register_route({sdk::RouteSurface::management, "faulty",
                             [this](const sdk::RouteRequest&) -> sdk::RouteResponse {
                                 faults_.maybe("route");
                                 if (faults_.is("non_std_route")) throw 42;  // not std::exception
                                 return {200, "application/json", R"({"faulty":"fine"})", {}};
                             }});
        host.register_route({sdk::RouteSurface::well_known, "faulty",
                             [this](const sdk::RouteRequest&) -> sdk::RouteResponse {
                                 faults_.maybe("well_known");
                                 return {200, "application/json", R"({"faulty":"fine"})", {}};
                             }});
        host.register_command({.path = "faulty",
                               .help = "Always fails (test plugin)",
                               .options = {},
                               .positionals = {},
                               .run = [](const sdk::CommandContext&) -> int { fail("command"); }});
    }
    sdk::AuthBridge* auth_bridge() override {
        faults_.maybe("auth_bridge");
        return &bridge_;
    }
    sdk::TunnelAdapter* tunnel_adapter() override {
        faults_.maybe("tunnel_adapter");
        return &adapter_;
    }
    sdk::UpstreamCredentials* upstream_credentials() override {
        faults_.maybe("upstream_credentials");
        return &credentials_;
    }
    [[nodiscard]] std::string health_detail() const override {
        faults_.maybe("health");
        return "faulty but fine";
    }

private:
    Faults faults_;
    Bridge bridge_;
    Adapter adapter_;
    Credentials credentials_;
};

}  // namespace

MCPPROXY_PLUGIN(FaultyPlugin, "test-faulty", "extension", "0.0.1",
                "throws from the entry point its config names", "faulty")
