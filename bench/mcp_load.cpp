// MCP load generator: N concurrent sessions, each on its own keep-alive connection, initialize and
// then call one tool (or cycle through a mix of requests) in a loop for a fixed time (or count).
// Prints requests/s, latency percentiles (µs) and errors, overall and per mix entry, as text or
// as one JSON line. Loopback targets only.
//
// Example: bench_mcp_load --url http://127.0.0.1:8080/mcp -c 8 -d 5 --tool echo --args
// '{"text":"hi"}'
//          bench_mcp_load --url ... -c 32 -d 20 --mix one__echo --mix tools/list
//            --mix 'two__repeat={"text":"x","times":100}'

#include <atomic>
#include <boost/asio.hpp>
#include <boost/json.hpp>
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "latency_summary.hpp"
#include "mcp_http_client.hpp"
#include "mcp_load_options.hpp"

namespace {

namespace asio = boost::asio;
namespace json = boost::json;
using Clock = std::chrono::steady_clock;

// Outcomes of one mix entry (or of connecting), counted like the totals.
struct StepTally {
    unsigned long long ok = 0;      // successful calls inside the measured window
    unsigned long long errors = 0;  // failed calls, whole run
    std::string first_error;
    Clock::time_point first_error_at{};  // when errors started and stopped: a restart window
    Clock::time_point last_error_at{};

    void fail(std::string problem, Clock::time_point at) {
        if (errors++ == 0) first_error_at = at;
        last_error_at = at;
        if (first_error.empty()) first_error = std::move(problem);
    }
};

// What one session saw. Each session is one coroutine on its own strand, so no locking.
struct SessionTally {
    std::vector<std::uint64_t> latencies_ns;  // successful calls inside the measured window
    unsigned long long errors = 0;            // failed calls and failed (re)connects, whole run
    std::string first_error;
    Clock::time_point last_measured_completion{};
    std::vector<StepTally> steps;  // one per mix entry
    StepTally connects;            // failed (re)connects count here, not against a step

    explicit SessionTally(std::size_t step_count) : steps(step_count) {}

    void fail(StepTally& where, std::string problem) {
        ++errors;
        if (first_error.empty()) first_error = problem;
        where.fail(std::move(problem), Clock::now());
    }
};

struct Schedule {
    Clock::time_point measure_from;
    Clock::time_point end;
};

asio::awaitable<void> open_session(bench::McpHttpClient& client, SessionTally& tally) {
    if (auto problem = co_await client.open(); !problem.empty()) {
        tally.fail(tally.connects, std::move(problem));
    }
}

asio::awaitable<void> run_session(bench::McpHttpClient& client, SessionTally& tally,
                                  const bench::LoadOptions& options, Schedule schedule,
                                  std::size_t first_step) {
    asio::steady_timer pause{co_await asio::this_coro::executor};
    unsigned long long calls = 0;
    const auto step_count = options.steps.size();
    while (Clock::now() < schedule.end && (options.count == 0 || calls < options.count)) {
        if (!client.is_open()) {
            if (auto problem = co_await client.open(); !problem.empty()) {
                tally.fail(tally.connects, std::move(problem));
                pause.expires_after(std::chrono::milliseconds(50));  // don't spin on a dead target
                co_await pause.async_wait(asio::as_tuple(asio::use_awaitable));
                continue;
            }
        }
        const auto step = (first_step + calls) % step_count;
        const auto started = Clock::now();
        auto problem = co_await client.call(options.steps[step]);
        const auto finished = Clock::now();
        ++calls;
        if (!problem.empty()) {
            tally.fail(tally.steps[step], std::move(problem));
            continue;
        }
        if (started >= schedule.measure_from && finished <= schedule.end) {
            ++tally.steps[step].ok;
            tally.latencies_ns.push_back(static_cast<std::uint64_t>(
                std::chrono::duration_cast<std::chrono::nanoseconds>(finished - started).count()));
            tally.last_measured_completion = finished;
        }
    }
}

void run_io(asio::io_context& io, unsigned threads) {
    io.restart();
    std::vector<std::thread> extra;
    for (unsigned i = 1; i < threads; ++i) extra.emplace_back([&io] { io.run(); });
    io.run();
    for (auto& t : extra) t.join();
}

// Enforces the per-request timeout of every session (McpHttpClient::expire_if_overdue) until
// the last session of a phase ends: one timer for all sessions instead of one around every read
// and write.
asio::awaitable<void> watch_timeouts(std::vector<std::unique_ptr<bench::McpHttpClient>>& clients,
                                     std::shared_ptr<std::atomic<unsigned>> running) {
    asio::steady_timer tick{co_await asio::this_coro::executor};
    while (running->load() > 0) {
        tick.expires_after(std::chrono::milliseconds(100));
        co_await tick.async_wait(asio::as_tuple(asio::use_awaitable));
        const auto now = Clock::now();
        for (auto& client : clients) {
            asio::post(client->executor(), [c = client.get(), now] { c->expire_if_overdue(now); });
        }
    }
}

// Runs one phase: make_session(i) on every client's executor, under the timeout watchdog.
template <typename MakeSession>
void run_phase(asio::io_context& io, unsigned threads,
               std::vector<std::unique_ptr<bench::McpHttpClient>>& clients,
               MakeSession make_session) {
    auto running = std::make_shared<std::atomic<unsigned>>(static_cast<unsigned>(clients.size()));
    for (std::size_t i = 0; i < clients.size(); ++i) {
        asio::co_spawn(clients[i]->executor(), make_session(i),
                       [running](const std::exception_ptr&) { running->fetch_sub(1); });
    }
    asio::co_spawn(io, watch_timeouts(clients, running), asio::detached);
    run_io(io, threads);
}

struct StepReport {
    std::string label;
    StepTally tally;
};

struct Report {
    unsigned connections = 0;
    unsigned long long ok = 0;
    unsigned long long errors = 0;
    double seconds = 0;
    double requests_per_second = 0;
    bench::LatencySummary latency;
    std::string first_error;
    std::vector<StepReport> steps;  // the mix entries, then "connect" (failed (re)connects)
    Clock::time_point start;        // of the calls (warm-up included); error windows count from it
};

double seconds_between(Clock::time_point from, Clock::time_point to) {
    return std::chrono::duration<double>(to - from).count();
}

void add_to(StepTally& sum, const StepTally& part) {
    if (part.errors > 0) {
        sum.first_error_at = sum.errors == 0 ? part.first_error_at
                                             : std::min(sum.first_error_at, part.first_error_at);
        sum.last_error_at = std::max(sum.last_error_at, part.last_error_at);
    }
    sum.ok += part.ok;
    sum.errors += part.errors;
    if (sum.first_error.empty()) sum.first_error = part.first_error;
}

Report combine(std::vector<SessionTally>& tallies, Clock::time_point start,
               Clock::time_point measure_from, const bench::LoadOptions& options) {
    Report report;
    report.start = start;
    report.connections = options.connections;
    for (const auto& step : options.steps) report.steps.push_back({step.label, {}});
    report.steps.push_back({"connect", {}});
    std::vector<std::uint64_t> all;
    Clock::time_point last = measure_from;
    for (auto& t : tallies) {
        all.insert(all.end(), t.latencies_ns.begin(), t.latencies_ns.end());
        report.errors += t.errors;
        if (report.first_error.empty()) report.first_error = t.first_error;
        if (!t.latencies_ns.empty()) last = std::max(last, t.last_measured_completion);
        for (std::size_t i = 0; i < t.steps.size(); ++i) add_to(report.steps[i].tally, t.steps[i]);
        add_to(report.steps.back().tally, t.connects);
    }
    report.ok = all.size();
    report.seconds = std::chrono::duration<double>(last - measure_from).count();
    if (report.seconds > 0)
        report.requests_per_second = static_cast<double>(report.ok) / report.seconds;
    report.latency = bench::summarize_latencies(all);
    return report;
}

void print(const Report& r, bool as_json) {
    if (as_json) {
        json::array steps;
        for (const auto& s : r.steps) {
            json::object step{{"step", s.label},
                              {"ok", s.tally.ok},
                              {"errors", s.tally.errors},
                              {"first_error", s.tally.first_error}};
            if (s.tally.errors > 0) {  // seconds from the start of the calls
                step["errors_from_s"] = seconds_between(r.start, s.tally.first_error_at);
                step["errors_until_s"] = seconds_between(r.start, s.tally.last_error_at);
            }
            steps.push_back(std::move(step));
        }
        const json::object line{{"connections", r.connections}, {"ok", r.ok},
                                {"errors", r.errors},           {"seconds", r.seconds},
                                {"rps", r.requests_per_second}, {"p50_us", r.latency.p50_us},
                                {"p90_us", r.latency.p90_us},   {"p99_us", r.latency.p99_us},
                                {"max_us", r.latency.max_us},   {"mean_us", r.latency.mean_us},
                                {"first_error", r.first_error}, {"steps", std::move(steps)}};
        std::printf("%s\n", json::serialize(line).c_str());
        return;
    }
    std::printf("%u sessions: %llu ok, %llu errors in %.2f s = %.0f req/s\n", r.connections, r.ok,
                r.errors, r.seconds, r.requests_per_second);
    std::printf("latency us: p50 %.1f  p90 %.1f  p99 %.1f  max %.1f  mean %.1f\n", r.latency.p50_us,
                r.latency.p90_us, r.latency.p99_us, r.latency.max_us, r.latency.mean_us);
    if (!r.first_error.empty()) std::printf("first error: %s\n", r.first_error.c_str());
    if (r.steps.size() <= 2 && r.steps.back().tally.errors == 0) return;  // one step: said above
    for (const auto& s : r.steps) {
        std::printf("  %-24s %10llu ok %6llu errors", s.label.c_str(), s.tally.ok, s.tally.errors);
        if (s.tally.errors > 0) {
            std::printf(" from %.2f s to %.2f s, first: %s",
                        seconds_between(r.start, s.tally.first_error_at),
                        seconds_between(r.start, s.tally.last_error_at),
                        s.tally.first_error.c_str());
        }
        std::printf("\n");
    }
}

}  // namespace

int main(int argc, char** argv) {
    bench::LoadOptions options;
    try {
        if (!bench::parse_load_options(argc, argv, options)) return 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "bench_mcp_load: %s\n", e.what());
        return 2;
    }

    asio::io_context io{static_cast<int>(options.threads)};
    std::vector<std::unique_ptr<bench::McpHttpClient>> clients;
    std::vector<SessionTally> tallies(options.connections, SessionTally{options.steps.size()});
    for (unsigned i = 0; i < options.connections; ++i) {
        // A strand only where sessions could otherwise run on two threads at once.
        auto executor = options.threads > 1 ? asio::any_io_executor(asio::make_strand(io))
                                            : asio::any_io_executor(io.get_executor());
        clients.push_back(std::make_unique<bench::McpHttpClient>(executor, options));
    }

    // Every session is initialized before the clock starts, so set-up never counts as load.
    run_phase(io, options.threads, clients,
              [&](std::size_t i) { return open_session(*clients[i], tallies[i]); });

    const auto start = Clock::now();
    const Schedule schedule{start + std::chrono::duration_cast<Clock::duration>(options.warmup),
                            start + std::chrono::duration_cast<Clock::duration>(options.duration)};
    run_phase(io, options.threads, clients, [&](std::size_t i) {
        return run_session(*clients[i], tallies[i], options, schedule, i);
    });

    // Sessions end outside the measurement, so bridges that keep a process per session free it.
    run_phase(io, options.threads, clients,
              [&](std::size_t i) { return clients[i]->end_session(); });

    const auto report = combine(tallies, start, schedule.measure_from, options);
    print(report, options.json_output);
    return report.ok > 0 ? 0 : 1;
}
