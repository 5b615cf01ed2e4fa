#include "cli_commands.hpp"

#include <openssl/crypto.h>

#include <charconv>
#include <cmath>
#include <limits>
#include <memory>
#include <stdexcept>

#include "display_text.hpp"
#include "duration_parse.hpp"
#include "permission_parse.hpp"
#include "server_list_parse.hpp"
#include "time_format.hpp"
#include "token_output.hpp"

namespace mcpproxy::agent_token {
namespace {

using sdk::CommandContext;
using sdk::CommandOption;
using sdk::CommandPositional;
using sdk::CommandSpec;

const CommandOption kOutput{"-o,--output", "output format: table or json", false, false, "table"};
const CommandPositional kName{"name", "the token's name"};

// An option's value when given and not empty (hosts may report an empty default as a value).
std::optional<std::string> given(const CommandContext& ctx, std::string_view name) {
    auto v = ctx.option(name);
    if (v && v->empty()) v.reset();
    return v;
}

bool wants_json(const CommandContext& ctx) {
    const auto format = given(ctx, "output").value_or("table");
    if (format == "json") return true;
    if (format == "table") return false;
    throw std::invalid_argument("--output " + display_text(format) + ": use table or json");
}

std::string required_name(const CommandContext& ctx) {
    auto name = ctx.positional("name");
    if (!name || name->empty()) throw std::invalid_argument("a token name is required");
    return *name;
}

template <class Int>
Int parse_integer(std::string_view text, const char* option, Int lo, Int hi) {
    Int value{};
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || end != text.data() + text.size() || value < lo || value > hi) {
        throw std::invalid_argument(std::string(option) + " " + display_text(text) +
                                    ": expected a whole number from " + std::to_string(lo) +
                                    " to " + std::to_string(hi));
    }
    return value;
}

double parse_rate(std::string_view text) {
    double value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || end != text.data() + text.size() || !std::isfinite(value) ||
        value <= 0 || value > 1e6) {
        throw std::invalid_argument("--requests-per-second " + display_text(text) +
                                    ": expected a number above 0 and at most 1000000");
    }
    return value;
}

sdk::Limits parse_limits(const CommandContext& ctx) {
    sdk::Limits limits;
    if (auto v = given(ctx, "requests-per-second")) limits.requests_per_second = parse_rate(*v);
    if (auto v = given(ctx, "burst"))
        limits.burst = parse_integer<std::uint32_t>(*v, "--burst", 1, 1'000'000);
    if (auto v = given(ctx, "max-concurrent")) {
        limits.max_concurrent = parse_integer<std::uint32_t>(*v, "--max-concurrent", 1, 100'000);
    }
    return limits;
}

void print_issued(const CommandContext& ctx, IssuedToken& issued, Seconds now, bool json,
                  const char* verb) {
    static constexpr const char* kWarning =
        "This is the only time the token is shown: store it now (for example in your secret "
        "manager). "
        "It cannot be recovered, only regenerated.";
    if (json) {
        nlohmann::ordered_json j;
        j["name"] = issued.record.name;
        j["token"] = issued.secret;
        j.update(token_json(issued.record, now));
        ctx.out() << j.dump(2) << '\n';
        ctx.err() << "warning: " << kWarning << '\n';
    } else {
        ctx.out() << verb << " agent token '" << issued.record.name
                  << "' (servers: " << join_server_list(issued.record.allowed_servers)
                  << ", permissions: " << permission_list(issued.record.permission)
                  << ", expires: " << rfc3339(issued.record.expires_at) << ")\n\n"
                  << "    " << issued.secret << "\n\n"
                  << kWarning << '\n';
    }
    ctx.out().flush();
    OPENSSL_cleanse(issued.secret.data(), issued.secret.size());
}

// Wraps a command body: opens the service, turns every exception into one error line and exit 1.
std::function<int(const CommandContext&)> guarded(
    std::shared_ptr<const CommandEnvironment> env,
    std::function<int(const CommandContext&, TokenService&)> body) {
    return [env = std::move(env), body = std::move(body)](const CommandContext& ctx) -> int {
        try {
            TokenService service(env->data_dir(), env->clock, env->busy_timeout);
            return body(ctx, service);
        } catch (const std::exception& e) {
            ctx.err() << "error: " << e.what() << '\n';
            return 1;
        }
    };
}

CommandSpec create_command(const std::shared_ptr<const CommandEnvironment>& env) {
    CommandSpec spec;
    spec.path = "token create";
    spec.help = "Create an agent token and print its secret once";
    spec.options = {
        {"--name", "unique name: letters, digits, '_' and '-', up to 64", false, true, ""},
        {"--servers", "servers it may call: * or a comma-separated list", false, false, "*"},
        {"--permissions", "read, read,write or read,write,destructive", false, false, "read"},
        {"--expires",
         "lifetime, <N>d or <N>h, at most 365d (default 30d or the configured default_expiry)",
         false, false, ""},
        {"--requests-per-second", "per-token rate limit (token-bucket refill rate)", false, false,
         ""},
        {"--burst", "per-token rate-limit burst size", false, false, ""},
        {"--max-concurrent", "per-token limit on calls in flight", false, false, ""},
        kOutput,
    };
    spec.run = guarded(env, [env](const CommandContext& ctx, TokenService& service) {
        const bool json = wants_json(ctx);
        CreateOptions options;
        options.name = ctx.option("name").value_or("");
        options.allowed_servers = parse_server_list(given(ctx, "servers").value_or("*"));
        options.permission = parse_permissions(given(ctx, "permissions").value_or("read"));
        const auto expires = given(ctx, "expires");
        options.lifetime = expires ? parse_lifetime(*expires) : env->default_lifetime;
        options.limits = parse_limits(ctx);
        auto issued = service.create(options);
        print_issued(ctx, issued, service.now(), json, "Created");
        return 0;
    });
    return spec;
}

CommandSpec list_command(const std::shared_ptr<const CommandEnvironment>& env) {
    CommandSpec spec;
    spec.path = "token list";
    spec.help = "List agent tokens (never their secrets)";
    spec.options = {kOutput};
    spec.run = guarded(env, [](const CommandContext& ctx, TokenService& service) {
        const bool json = wants_json(ctx);
        const auto records = service.list();
        if (json) {
            auto all = nlohmann::ordered_json::array();
            for (const auto& r : records) all.push_back(token_json(r, service.now()));
            ctx.out() << all.dump(2) << '\n';
        } else {
            print_token_table(ctx.out(), records, service.now());
        }
        return 0;
    });
    return spec;
}

CommandSpec show_command(const std::shared_ptr<const CommandEnvironment>& env) {
    CommandSpec spec;
    spec.path = "token show";
    spec.help = "Show one agent token's settings and status";
    spec.options = {kOutput};
    spec.positionals = {kName};
    spec.run = guarded(env, [](const CommandContext& ctx, TokenService& service) {
        const bool json = wants_json(ctx);
        const auto record = service.show(required_name(ctx));
        if (json) {
            ctx.out() << token_json(record, service.now()).dump(2) << '\n';
        } else {
            print_token_details(ctx.out(), record, service.now());
        }
        return 0;
    });
    return spec;
}

CommandSpec revoke_command(const std::shared_ptr<const CommandEnvironment>& env) {
    CommandSpec spec;
    spec.path = "token revoke";
    spec.help = "Revoke an agent token; a running proxy rejects it within a second";
    spec.positionals = {kName};
    spec.run = guarded(env, [](const CommandContext& ctx, TokenService& service) {
        const auto name = required_name(ctx);
        if (service.revoke(name)) {
            ctx.out() << "Revoked agent token '" << name << "'.\n";
        } else {
            ctx.out() << "Agent token '" << name << "' was already revoked.\n";
        }
        return 0;
    });
    return spec;
}

CommandSpec delete_command(const std::shared_ptr<const CommandEnvironment>& env) {
    CommandSpec spec;
    spec.path = "token delete";
    spec.help = "Delete an agent token and its record";
    spec.positionals = {kName};
    spec.run = guarded(env, [](const CommandContext& ctx, TokenService& service) {
        const auto name = required_name(ctx);
        service.remove(name);
        ctx.out() << "Deleted agent token '" << name << "'.\n";
        return 0;
    });
    return spec;
}

CommandSpec regenerate_command(const std::shared_ptr<const CommandEnvironment>& env) {
    CommandSpec spec;
    spec.path = "token regenerate";
    spec.help = "Give an agent token a new secret with the same settings";
    spec.options = {
        {"--grace", "how long the old secret keeps working: 0s (default) to 7d, e.g. 60s", false,
         false, "0s"},
        {"--expires", "a new lifetime from now, <N>d or <N>h (default: keep the current expiry)",
         false, false, ""},
        kOutput,
    };
    spec.positionals = {kName};
    spec.run = guarded(env, [](const CommandContext& ctx, TokenService& service) {
        const bool json = wants_json(ctx);
        const auto name = required_name(ctx);
        const auto grace = parse_grace(given(ctx, "grace").value_or("0s"));
        std::optional<std::chrono::seconds> lifetime;
        if (const auto expires = given(ctx, "expires")) lifetime = parse_lifetime(*expires);
        auto issued = service.regenerate(name, grace, lifetime);
        print_issued(ctx, issued, service.now(), json, "Regenerated");
        if (!json) {
            ctx.out() << (grace.count() > 0
                              ? "The old secret keeps working until " +
                                    rfc3339(*issued.record.previous_valid_until) + ".\n"
                              : std::string("The old secret no longer works.\n"));
        }
        return 0;
    });
    return spec;
}

}  // namespace

std::vector<sdk::CommandSpec> token_commands(CommandEnvironment env) {
    const auto shared = std::make_shared<const CommandEnvironment>(std::move(env));
    return {create_command(shared), list_command(shared),   show_command(shared),
            revoke_command(shared), delete_command(shared), regenerate_command(shared)};
}

}  // namespace mcpproxy::agent_token
