// Token lookup with many tokens stored: inserts N agent tokens into a real tokens.db through the
// plugin's own store, loads them into the live view, then times AgentTokenAuthenticator::
// authenticate() for valid, unknown and malformed credentials, at 1 token and at N tokens.
// Prints a table (or, with --format json, one JSON object).
//
//   bench_auth_token_lookup [--tokens 100000] [--lookups 200000] [--data-dir DIR] [--format
//   text|json]
//
// With --data-dir the store is kept (and one valid secret is printed) so that a proxy can be
// started on it afterwards; otherwise a temporary directory is used and removed.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

#include "agent_token_authenticator.hpp"
#include "store_key.hpp"
#include "token_format.hpp"
#include "token_store.hpp"
#include "token_view.hpp"
#include "usage_tracker.hpp"

namespace {

using namespace mcpproxy;
using namespace mcpproxy::agent_token;
using SteadyClock = std::chrono::steady_clock;

class HeaderRequest final : public sdk::RequestView {
public:
    explicit HeaderRequest(std::string authorization) : authorization_(std::move(authorization)) {}
    [[nodiscard]] std::string_view method() const override { return "POST"; }
    [[nodiscard]] std::string_view path() const override { return "/mcp"; }
    [[nodiscard]] std::string_view query() const override { return {}; }
    [[nodiscard]] std::optional<std::string_view> header(std::string_view name) const override {
        if (name.size() == 13 && std::equal(name.begin(), name.end(), "authorization",
                                            [](char a, char b) { return std::tolower(a) == b; })) {
            return authorization_;
        }
        return std::nullopt;
    }
    [[nodiscard]] std::string_view peer_address() const override { return "127.0.0.1"; }
    [[nodiscard]] std::string_view listener_name() const override { return "bench"; }
    [[nodiscard]] bool is_tls() const override { return false; }
    [[nodiscard]] std::string_view peer_certificate_der() const override { return {}; }

private:
    std::string authorization_;
};

struct Options {
    int tokens = 100'000;
    int lookups = 200'000;
    std::string data_dir;
    bool json = false;
};

Options parse(int argc, char** argv) {
    Options o;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc) throw std::invalid_argument(a + " needs a value");
            return argv[++i];
        };
        if (a == "--tokens")
            o.tokens = std::stoi(value());
        else if (a == "--lookups")
            o.lookups = std::stoi(value());
        else if (a == "--data-dir")
            o.data_dir = value();
        else if (a == "--format")
            o.json = value() == "json";
        else
            throw std::invalid_argument("unknown option " + a);
    }
    if (o.tokens < 1 || o.lookups < 1) throw std::invalid_argument("counts must be positive");
    return o;
}

struct Stats {
    double p50_ns = 0;
    double p99_ns = 0;
    double mean_ns = 0;
};

// Times each call separately (steady_clock costs ~20 ns, small next to an HMAC).
Stats time_lookups(AgentTokenAuthenticator& auth, const std::vector<HeaderRequest>& requests,
                   int lookups, sdk::AuthOutcome expected) {
    std::vector<double> samples;
    samples.reserve(static_cast<std::size_t>(lookups));
    std::mt19937 rng(42);
    std::uniform_int_distribution<std::size_t> pick(0, requests.size() - 1);
    double total = 0;
    for (int i = 0; i < lookups; ++i) {
        const auto& request = requests[pick(rng)];
        const auto start = SteadyClock::now();
        const auto result = auth.authenticate(request);
        const double ns =
            std::chrono::duration<double, std::nano>(SteadyClock::now() - start).count();
        if (result.outcome != expected)
            throw std::runtime_error("unexpected authentication outcome");
        samples.push_back(ns);
        total += ns;
    }
    std::sort(samples.begin(), samples.end());
    return {samples[samples.size() / 2], samples[samples.size() * 99 / 100], total / lookups};
}

struct Fixture {
    std::filesystem::path dir;
    std::unique_ptr<TokenStore> store;
    std::unique_ptr<TokenHasher> hasher;
    std::vector<std::string> sample_secrets;  // a spread of the stored secrets
    double insert_ms = 0;
};

Fixture make_store(const std::filesystem::path& dir, int tokens) {
    Fixture f;
    f.dir = dir;
    std::filesystem::create_directories(dir);
    std::filesystem::permissions(dir, std::filesystem::perms::owner_all);
    f.store = std::make_unique<TokenStore>(dir, std::chrono::seconds(5));
    f.hasher = open_store_key(dir, *f.store);
    const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
    std::vector<NewToken> rows;
    rows.reserve(static_cast<std::size_t>(tokens));
    const int every = std::max(1, tokens / 1000);
    for (int i = 0; i < tokens; ++i) {
        const auto secret = generate_token();
        if (i % every == 0) f.sample_secrets.push_back(secret);
        NewToken t;
        t.name = "bench-agent-" + std::to_string(i);
        t.hash = f.hasher->hash(secret);
        t.created_at = now;
        t.expires_at = now + std::chrono::days(30);
        rows.push_back(std::move(t));
    }
    const auto start = SteadyClock::now();
    f.store->insert_many(rows);
    f.insert_ms = std::chrono::duration<double, std::milli>(SteadyClock::now() - start).count();
    return f;
}

struct Row {
    std::string what;
    Stats stats;
};

std::vector<Row> measure(Fixture& f, int lookups, double& load_ms) {
    TokenView view;
    UsageTracker usage;
    AgentTokenAuthenticator auth(
        view, usage, [] { return std::chrono::system_clock::now(); }, true);
    auth.set_hasher(f.hasher.get());
    const auto start = SteadyClock::now();
    view.apply(f.store->changes_since(0));
    load_ms = std::chrono::duration<double, std::milli>(SteadyClock::now() - start).count();

    std::vector<HeaderRequest> valid, unknown, malformed;
    for (const auto& s : f.sample_secrets) valid.emplace_back("Bearer " + s);
    for (int i = 0; i < 100; ++i) unknown.emplace_back("Bearer " + generate_token());
    malformed.emplace_back("Bearer mcp_agt_not-a-token");
    return {
        {"valid token", time_lookups(auth, valid, lookups, sdk::AuthOutcome::authenticated)},
        {"unknown token", time_lookups(auth, unknown, lookups, sdk::AuthOutcome::rejected)},
        {"malformed token (no lookup)",
         time_lookups(auth, malformed, lookups, sdk::AuthOutcome::rejected)},
    };
}

std::filesystem::path temp_dir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "mcpproxy-bench-XXXXXX").string();
    if (::mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    return tmpl;
}

}  // namespace

int main(int argc, char** argv) try {
    const Options options = parse(argc, argv);
    const auto small_dir = temp_dir();
    const bool keep = !options.data_dir.empty();
    const auto big_dir = keep ? std::filesystem::path(options.data_dir) : temp_dir();

    Fixture small = make_store(small_dir / "data", 1);
    double small_load_ms = 0;
    const auto small_rows = measure(small, options.lookups, small_load_ms);

    Fixture big = make_store(keep ? big_dir : big_dir / "data", options.tokens);
    double big_load_ms = 0;
    const auto big_rows = measure(big, options.lookups, big_load_ms);

    if (options.json) {
        nlohmann::json out{{"tokens", options.tokens},
                           {"lookups", options.lookups},
                           {"insert_ms", big.insert_ms},
                           {"load_ms", big_load_ms},
                           {"rows", nlohmann::json::array()}};
        for (std::size_t i = 0; i < big_rows.size(); ++i) {
            out["rows"].push_back({{"what", big_rows[i].what},
                                   {"p50_ns_1", small_rows[i].stats.p50_ns},
                                   {"p50_ns_n", big_rows[i].stats.p50_ns},
                                   {"p99_ns_n", big_rows[i].stats.p99_ns},
                                   {"mean_ns_n", big_rows[i].stats.mean_ns}});
        }
        if (keep) out["sample_token"] = big.sample_secrets.front();
        std::cout << out.dump() << "\n";
    } else {
        std::printf(
            "token store: %d tokens inserted in %.0f ms (one transaction), loaded into the view in "
            "%.0f ms\n",
            options.tokens, big.insert_ms, big_load_ms);
        std::printf("%-30s %14s %14s %14s %14s\n", "authenticate()", "p50 @1 token",
                    ("p50 @" + std::to_string(options.tokens)).c_str(), "p99", "mean");
        for (std::size_t i = 0; i < big_rows.size(); ++i) {
            std::printf("%-30s %11.2f us %11.2f us %11.2f us %11.2f us\n", big_rows[i].what.c_str(),
                        small_rows[i].stats.p50_ns / 1000, big_rows[i].stats.p50_ns / 1000,
                        big_rows[i].stats.p99_ns / 1000, big_rows[i].stats.mean_ns / 1000);
        }
        if (keep) std::printf("sample token: %s\n", big.sample_secrets.front().c_str());
    }
    small.store.reset();
    big.store.reset();
    std::filesystem::remove_all(small_dir);
    if (!keep) std::filesystem::remove_all(big_dir);
    return 0;
} catch (const std::exception& e) {
    std::cerr << "bench_auth_token_lookup: " << e.what() << "\n";
    return 1;
}
