#include "kernel/app/doctor_checks.hpp"

#include <openssl/pem.h>
#include <openssl/x509.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_future.hpp>
#include <chrono>
#include <filesystem>
#include <future>
#include <thread>

#include "kernel/app/plugin_services.hpp"
#include "kernel/log/logging.hpp"
#include "kernel/plugins/plugin_faults.hpp"
#include "kernel/plugins/plugin_loader.hpp"
#include "kernel/plugins/plugin_locator.hpp"
#include "kernel/plugins/plugin_registry.hpp"
#include "kernel/process/supervisor.hpp"
#include "kernel/tunnel/tunnel_rules.hpp"
#include "kernel/upstream/mcp_client.hpp"
#include "kernel/upstream/transport_factory.hpp"
#include "kernel/util/exception_text.hpp"
#include "kernel/util/host_port.hpp"
#include "mcpproxy/sdk/tunnel_adapter.hpp"

namespace mcpproxy::app {
namespace {

namespace fs = std::filesystem;
namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

constexpr std::chrono::seconds kUpstreamTimeout{15};

CheckResult ok(std::string check, std::string detail) {
    return {std::move(check), CheckStatus::ok, std::move(detail), {}, -1, {}};
}
CheckResult problem(std::string check, CheckStatus s, std::string detail, std::string fix) {
    return {std::move(check), s, std::move(detail), std::move(fix), -1, {}};
}

std::string octal(unsigned mode) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "%04o", mode);
    return buf;
}

void check_data_dir(const config::Config& c, std::vector<CheckResult>& out) {
    struct stat st {};
    if (::stat(c.data_dir.c_str(), &st) != 0) {
        out.push_back(problem("data_dir", CheckStatus::warn, c.data_dir + " does not exist yet",
                              "nothing to do: mcpproxy creates it (mode 0700) at the first start"));
        return;
    }
    if (!S_ISDIR(st.st_mode)) {
        out.push_back(problem("data_dir", CheckStatus::fail, c.data_dir + " is not a directory",
                              "point data_dir (or --data-dir) at a directory"));
        return;
    }
    if (st.st_uid != ::geteuid()) {
        out.push_back(problem(
            "data_dir", CheckStatus::fail,
            c.data_dir + " belongs to uid " + std::to_string(st.st_uid) +
                ", not to this user (uid " + std::to_string(::geteuid()) + ")",
            "run as its owner, or chown -R " + std::to_string(::geteuid()) + " " + c.data_dir));
        return;
    }
    if ((st.st_mode & 0077) != 0) {
        out.push_back(problem("data_dir", CheckStatus::fail,
                              c.data_dir + " is mode " + octal(st.st_mode & 07777) +
                                  ": other users can reach the token store and keys",
                              "chmod 700 " + c.data_dir));
        return;
    }
    if (::access(c.data_dir.c_str(), W_OK) != 0) {
        out.push_back(problem("data_dir", CheckStatus::fail, c.data_dir + " is not writable",
                              "chmod u+w " + c.data_dir));
        return;
    }
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(c.data_dir, ec)) {
        struct stat f {};
        if (::stat(e.path().c_str(), &f) == 0 && S_ISREG(f.st_mode) && (f.st_mode & 0077) != 0) {
            out.push_back(problem("data_dir", CheckStatus::fail,
                                  e.path().string() + " is mode " + octal(f.st_mode & 07777),
                                  "chmod 600 " + e.path().string()));
            return;
        }
    }
    out.push_back(ok("data_dir", c.data_dir + " (0700, writable)"));
}

void check_plugins(const CliOverrides& cli, const config::Config& c,
                   std::vector<CheckResult>& out) {
    const plugins::PluginLocator locator(cli.plugins_dir.value_or(""), c.plugins_dir);
    for (const auto& path : locator.discover()) {
        const auto info = plugins::PluginLibrary::inspect(path);
        const std::string name = info.name.empty() ? path.stem().string() : info.name;
        if (info.problem.empty()) {
            out.push_back(ok("plugin:" + name, path.string() + " (ABI " +
                                                   std::to_string(info.abi_version) + ", " +
                                                   info.version + ")"));
        } else {
            out.push_back(problem("plugin:" + name, CheckStatus::fail,
                                  path.string() + ": " + info.problem,
                                  "rebuild it against this mcpproxy's SDK (`mcpproxy version` "
                                  "names the ABI) or remove the file"));
        }
    }
    for (const auto& p : c.plugins) {
        try {
            (void)locator.locate(p.name);
        } catch (const std::exception& e) {
            out.push_back(
                problem("plugin:" + p.name, CheckStatus::fail, e.what(),
                        "install the plugin, set plugins_dir, or remove it from \"plugins\""));
        }
    }
}

// Starts the upstream, waits for its answer to initialize and closes it; the error text, empty
// when it answered. Runs on the doctor's io thread, side by side with the other upstreams.
asio::awaitable<std::string> try_upstream(asio::io_context& io, config::UpstreamConfig s) {
    auto log = log::get("doctor:" + s.name);
    auto transport = upstream::make_transport(io.get_executor(), s, log);
    auto client = std::make_shared<upstream::McpClient>(io.get_executor(), s.name, transport, log);
    std::string error;
    try {
        co_await client->connect(
            std::chrono::duration_cast<std::chrono::milliseconds>(kUpstreamTimeout));
    } catch (const std::exception& e) {
        error = e.what();
    }
    co_await client->close();
    co_return error;
}

// try_upstream, noting when it ended. Parameters by value: the frame outlives the caller's loop.
asio::awaitable<std::string> timed_try_upstream(asio::io_context& io, config::UpstreamConfig s,
                                                std::shared_ptr<std::atomic<Clock::rep>> finished) {
    std::string error = co_await try_upstream(io, std::move(s));
    finished->store(Clock::now().time_since_epoch().count());
    co_return error;
}

CheckResult upstream_result(const config::UpstreamConfig& s, std::string error,
                            Clock::time_point started, Clock::time_point finished) {
    const auto ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(finished - started).count();
    CheckResult r;
    r.check = "upstream:" + s.name;
    r.elapsed_ms = ms;
    if (error.empty()) {
        r.detail = "started and answered initialize in " + std::to_string(ms) + " ms";
    } else {
        r.status = CheckStatus::fail;
        r.detail = error;
        r.fix = s.transport == config::UpstreamTransport::stdio
                    ? "run `" + s.command +
                          "` by hand to see why it does not answer, or disable the server "
                          "(\"enabled\": false)"
                    : "check that " + s.url + " is reachable and speaks MCP Streamable HTTP";
    }
    return r;
}

// All enabled upstreams at once (50 servers must not take 50 start-ups in a row); progress says
// how many have answered. Results keep the config's order.
void check_upstreams(const config::Config& c, asio::io_context& io,
                     const std::function<void(const std::string&)>& step,
                     std::vector<CheckResult>& out) {
    struct Pending {
        const config::UpstreamConfig* server;
        std::future<std::string> error;
        std::shared_ptr<std::atomic<Clock::rep>> finished;
    };
    std::vector<Pending> pending;
    const auto started = Clock::now();
    for (const auto& s : c.servers) {
        if (!s.enabled) continue;
        auto finished = std::make_shared<std::atomic<Clock::rep>>(0);
        pending.push_back(
            {&s, asio::co_spawn(io, timed_try_upstream(io, s, finished), asio::use_future),
             finished});
    }
    if (pending.empty()) return;
    std::ptrdiff_t shown = -1;
    for (;;) {
        const auto done = std::count_if(pending.begin(), pending.end(), [](const Pending& p) {
            return p.error.wait_for(std::chrono::milliseconds(0)) == std::future_status::ready;
        });
        if (done != shown) {
            step("upstreams: " + std::to_string(done) + "/" + std::to_string(pending.size()) +
                 " answered");
            shown = done;
        }
        if (static_cast<std::size_t>(done) == pending.size()) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    for (auto& p : pending) {
        std::string error;
        try {
            error = p.error.get();
        } catch (const std::exception& e) {
            error = e.what();
        }
        const auto at = p.finished->load();
        const auto finished = at != 0 ? Clock::time_point(Clock::duration(at)) : Clock::now();
        out.push_back(upstream_result(*p.server, std::move(error), started, finished));
    }
}

// The daemon first (found? which version?), then the adapter's own preflight, which also refuses
// versions older than the adapter supports.
CheckResult check_tunnel_adapter(const std::string& check, sdk::TunnelAdapter& adapter) {
    std::string provider;
    sdk::DaemonInfo found;
    try {
        provider = adapter.provider();
        found = adapter.daemon();
    } catch (...) {
        const auto what = util::exception_text(std::current_exception());
        return problem(check, CheckStatus::fail, provider + ": " + what,
                       "install the " + provider +
                           " daemon, or point the plugin's settings at it, then run doctor again");
    }
    const std::string& version = found.version;
    std::string daemon =
        provider + " daemon " + (version.empty() ? "(version not reported)" : version);
    if (!found.path.empty()) daemon += " at " + found.path;
    try {
        adapter.preflight();
    } catch (...) {
        const auto what = util::exception_text(std::current_exception());
        CheckResult r = problem(check, CheckStatus::fail, daemon + ": " + what,
                                "do what the message says, then run doctor again");
        r.version = version;
        r.path = found.path;
        return r;
    }
    CheckResult r = ok(check, daemon + ", found and usable");
    r.version = version;
    r.path = found.path;
    return r;
}

void check_tunnel(const config::Config& c, asio::io_context& io, std::vector<CheckResult>& out) {
    try {
        tunnel::check_management_rules(c);
    } catch (const std::exception& e) {
        out.push_back(
            problem("tunnel", CheckStatus::fail, e.what(),
                    "keep the management listener on loopback and off the tunneled listener"));
        return;
    }
    if (!c.tunnel.enabled) return;
    process::Supervisor supervisor(io.get_executor());
    plugins::HostServices services = make_host_services(c, nullptr);
    services.processes = &supervisor;
    plugins::PluginRegistry registry(plugins::PluginLocator("", c.plugins_dir), services);
    std::vector<std::string> names;
    std::vector<sdk::AuthBridge*> bridges;
    bool adapters = false;
    try {
        for (const auto& p : c.plugins) registry.load(p.name, p.settings);
        registry.start_all();
    } catch (const std::exception& e) {
        out.push_back(problem("tunnel", CheckStatus::fail, e.what(), "fix the plugin named above"));
        return;
    }
    for (auto& p : registry.plugins()) {
        if (auto* bridge = p.auth_bridge) {
            bridges.push_back(bridge);
            try {
                for (auto& n : bridge->credential_names(20)) names.push_back(std::move(n));
            } catch (...) {
            }
        }
        if (auto* adapter = p.tunnel_adapter) {
            adapters = true;
            out.push_back(check_tunnel_adapter("tunnel:" + p.info.name, *adapter));
        }
    }
    try {
        tunnel::check_tunnel_rules(c, names, !bridges.empty(), tunnel::tunnel_setup_hint(bridges));
        out.push_back(ok("tunnel", "tunnel mode safe: " + std::to_string(names.size()) +
                                       " credential(s), management not on the tunneled listener" +
                                       (adapters ? "" : " (no tunnel adapter plugin loaded)")));
    } catch (const std::exception& e) {
        out.push_back(problem("tunnel", CheckStatus::fail, e.what(), "do what the message says"));
    }
    registry.stop_all();
}

void check_certificate(const config::Config& c, std::vector<CheckResult>& out) {
    if (!c.tls.enabled) return;
    FILE* f = std::fopen(c.tls.cert.c_str(), "r");
    if (f == nullptr) {
        out.push_back(problem("tls", CheckStatus::fail, c.tls.cert + " cannot be read",
                              "check the path and its mode"));
        return;
    }
    X509* cert = PEM_read_X509(f, nullptr, nullptr, nullptr);
    std::fclose(f);
    if (cert == nullptr) {
        out.push_back(problem("tls", CheckStatus::fail, c.tls.cert + " holds no PEM certificate",
                              "point tls.cert at a PEM certificate chain"));
        return;
    }
    int days = 0;
    int seconds = 0;
    ASN1_TIME_diff(&days, &seconds, nullptr, X509_get0_notAfter(cert));
    X509_free(cert);
    if (days < 0 || (days == 0 && seconds <= 0)) {
        out.push_back(problem("tls", CheckStatus::fail, c.tls.cert + " has expired",
                              "renew it; mcpproxy reloads the files without a restart"));
    } else if (days < 14) {
        out.push_back(problem("tls", CheckStatus::warn,
                              c.tls.cert + " expires in " + std::to_string(days) + " day(s)",
                              "renew it soon; mcpproxy reloads the files without a restart"));
    } else {
        out.push_back(ok("tls", c.tls.cert + " valid for " + std::to_string(days) + " more days"));
    }
}

void check_port(const std::string& listener, const std::string& address,
                std::vector<CheckResult>& out) {
    const auto hp = util::parse_host_port(address);
    if (!hp || hp->port == 0) return;
    asio::io_context io;
    asio::ip::tcp::acceptor acceptor(io);
    boost::system::error_code ec;
    const asio::ip::tcp::endpoint ep(asio::ip::make_address(hp->host, ec), hp->port);
    if (ec) return;  // a host name: resolved at start
    acceptor.open(ep.protocol(), ec);
    if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) acceptor.bind(ep, ec);
    if (ec) {
        out.push_back(
            problem("port:" + listener, CheckStatus::fail, address + ": " + ec.message(),
                    "stop what listens there (`ss -ltnp 'sport = :" + std::to_string(hp->port) +
                        "'`; a running mcpproxy counts) or choose another address"));
    } else {
        out.push_back(ok("port:" + listener, address + " is free"));
    }
}

}  // namespace

std::string_view to_string(CheckStatus status) {
    switch (status) {
        case CheckStatus::ok:
            return "ok";
        case CheckStatus::warn:
            return "warn";
        case CheckStatus::fail:
            return "fail";
    }
    return "fail";
}

std::vector<CheckResult> run_doctor_checks(
    const CliOverrides& cli, const std::function<void(const std::string&)>& progress) {
    auto step = [&](const std::string& what) {
        if (progress) progress(what);
    };
    std::vector<CheckResult> out;
    step("config");
    config::Config c;
    try {
        c = effective_config(cli);
        std::string where =
            c.source_file.empty() ? "built-in defaults (no config file)" : c.source_file;
        out.push_back(ok("config", where + " is valid"));
        for (const auto& w : c.warnings)
            out.push_back(problem("config", CheckStatus::warn, w, "remove the key"));
    } catch (const std::exception& e) {
        out.push_back(
            problem("config", CheckStatus::fail, e.what(), "edit the file at the place named"));
        return out;  // nothing else can be checked without a config
    }
    step("data dir");
    check_data_dir(c, out);
    step("plugins");
    check_plugins(cli, c, out);
    step("ports");
    check_port("main", c.listen, out);
    if (c.tunnel.enabled && !c.tunnel.listen.empty()) check_port("tunnel", c.tunnel.listen, out);
    if (c.management.enabled) check_port("management", c.management.listen, out);
    check_certificate(c, out);
    asio::io_context io;
    auto work = asio::make_work_guard(io);
    std::thread runner([&io] { io.run(); });
    step("tunnel");
    check_tunnel(c, io, out);
    check_upstreams(c, io, step, out);
    work.reset();
    io.stop();
    runner.join();
    return out;
}

}  // namespace mcpproxy::app
