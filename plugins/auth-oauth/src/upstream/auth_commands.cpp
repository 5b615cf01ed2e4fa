#include "upstream/auth_commands.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>

#include <chrono>

#include "upstream/auth_status.hpp"
#include "upstream/login_flow.hpp"
#include "upstream/oauth_http.hpp"
#include "upstream/oauth_urls.hpp"
#include "upstream/token_store.hpp"

extern char** environ;

namespace mcpproxy::oauth {
namespace {

std::int64_t unix_now(const sdk::Host& host) {
    return std::chrono::duration_cast<std::chrono::seconds>(host.now().time_since_epoch()).count();
}

const sdk::UpstreamServerInfo* find_server(const std::vector<sdk::UpstreamServerInfo>& servers,
                                           const std::string& name) {
    for (const auto& s : servers) {
        if (s.name == name) return &s;
    }
    return nullptr;
}

// xdg-open in the background; its output would only clutter the terminal.
void open_in_browser(const std::string& url) {
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
    std::string program = "xdg-open";
    std::string arg = url;
    char* argv[] = {program.data(), arg.data(), nullptr};
    pid_t pid = 0;
    if (posix_spawnp(&pid, "xdg-open", &actions, nullptr, argv, environ) == 0) {
        // Reaped right away when it is quick; otherwise it is reparented when we exit.
        int status = 0;
        (void)waitpid(pid, &status, WNOHANG);
    }
    posix_spawn_file_actions_destroy(&actions);
}

int run_login_command(sdk::Host& host, const UpstreamOAuthConfig& config,
                      const sdk::CommandContext& ctx) {
    const auto name = ctx.option("server").value_or("");
    const auto servers = host.upstream_servers();
    const auto* server = find_server(servers, name);
    if (server == nullptr) {
        ctx.err() << "error: no server \"" << name << "\" in mcpServers\n";
        return 2;
    }
    if (server->url.empty()) {
        ctx.err() << "error: server \"" << name
                  << "\" is a stdio server; OAuth applies to HTTP servers only\n";
        return 2;
    }
    LoginRequest request;
    request.server = name;
    request.server_url = server->url;
    request.client = config.for_server(name);
    request.callback_port = config.callback_port;
    request.timeout = config.login_timeout;
    if (!ctx.flag("no-browser")) request.open_browser = open_in_browser;
    TokenStore store(host.data_dir());
    const auto record = run_login(host.http(), store, request, ctx.out(), unix_now(host));
    ctx.out() << "Logged in to \"" << name << "\"";
    if (record.expires_at > 0)
        ctx.out() << "; the access token is valid for "
                  << format_seconds(record.expires_at - record.obtained_at);
    ctx.out() << (record.refresh_token.empty() ? " (no refresh token: log in again when it expires)"
                                               : " (a running mcpproxy refreshes it)")
              << "\n";
    return 0;
}

int run_status_command(sdk::Host& host, const sdk::CommandContext& ctx) {
    const auto format = ctx.option("output").value_or("table");
    if (format != "table" && format != "json") {
        ctx.err() << "error: --output: use table or json\n";
        return 2;
    }
    TokenStore store(host.data_dir());
    const auto rows = status_rows(host.upstream_servers(), store.tokens(), unix_now(host));
    if (format == "json")
        ctx.out() << status_json(rows).dump(2) << "\n";
    else
        ctx.out() << status_table(rows);
    return 0;
}

void revoke(sdk::HttpClient& http, const TokenRecord& r, const std::string& token,
            const char* hint) {
    std::vector<std::pair<std::string, std::string>> fields{{"token", token},
                                                            {"token_type_hint", hint}};
    std::map<std::string, std::string> headers;
    if (!r.client_secret.empty() && r.auth_method != "client_secret_post") {
        headers["Authorization"] = "Basic " + base64_encode(percent_encode(r.client_id) + ":" +
                                                            percent_encode(r.client_secret));
    } else {
        fields.emplace_back("client_id", r.client_id);
        if (!r.client_secret.empty()) fields.emplace_back("client_secret", r.client_secret);
    }
    (void)post_form(http, r.revocation_endpoint, fields, headers);
}

int run_logout_command(sdk::Host& host, const sdk::CommandContext& ctx) {
    const auto name = ctx.option("server").value_or("");
    TokenStore store(host.data_dir());
    const auto record = store.token(name);
    if (!record) {
        ctx.out() << "Not logged in to \"" << name << "\"; nothing to do\n";
        return 0;
    }
    store.delete_token(name);
    // RFC 7009 revocation is a courtesy: the local tokens are gone either way.
    if (!record->revocation_endpoint.empty()) {
        if (!record->refresh_token.empty())
            revoke(host.http(), *record, record->refresh_token, "refresh_token");
        if (!record->access_token.empty())
            revoke(host.http(), *record, record->access_token, "access_token");
    }
    ctx.out() << "Logged out of \"" << name << "\": its tokens are deleted"
              << (record->revocation_endpoint.empty() ? "" : " and revoked") << "\n";
    return 0;
}

template <typename F>
int guarded(const sdk::CommandContext& ctx, F&& run) {
    try {
        return run();
    } catch (const std::exception& e) {
        ctx.err() << "error: " << e.what() << "\n";
        return 1;
    }
}

}  // namespace

std::vector<sdk::CommandSpec> auth_commands(sdk::Host& host, const UpstreamOAuthConfig& config) {
    const sdk::CommandOption server{"--server", "the upstream server's name in mcpServers", false,
                                    true, ""};
    std::vector<sdk::CommandSpec> out;
    out.push_back(
        {"auth login",
         "log in to an upstream server that demands OAuth (stores its tokens)",
         {server,
          {"--no-browser", "only print the URL to open; do not start a browser", true, false, ""}},
         {},
         [&host, config](const sdk::CommandContext& ctx) {
             return guarded(ctx, [&] { return run_login_command(host, config, ctx); });
         }});
    out.push_back({"auth status",
                   "upstream servers' OAuth state: valid, expires in, login needed",
                   {{"-o,--output", "output format: table or json", false, false, "table"}},
                   {},
                   [&host](const sdk::CommandContext& ctx) {
                       return guarded(ctx, [&] { return run_status_command(host, ctx); });
                   }});
    out.push_back({"auth logout",
                   "delete (and revoke) the OAuth tokens of an upstream server",
                   {server},
                   {},
                   [&host](const sdk::CommandContext& ctx) {
                       return guarded(ctx, [&] { return run_logout_command(host, ctx); });
                   }});
    return out;
}

}  // namespace mcpproxy::oauth
