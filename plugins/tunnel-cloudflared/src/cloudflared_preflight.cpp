#include "cloudflared_preflight.hpp"

#include <stdexcept>
#include <string_view>

#include "mcpproxy/tunnel_common/program_run.hpp"

namespace mcpproxy::tunnel_cloudflared {
namespace tc = tunnel_common;

namespace {
std::string first_line(const std::string& text) {
    auto line = text.substr(0, text.find('\n'));
    if (line.size() > 200) line = line.substr(0, 200) + "...";
    return line;
}
}  // namespace

std::string parse_cloudflared_version(const std::string& output) {
    // "cloudflared version 2024.11.1 (built 2024-11-25-1317 UTC)"; dev builds say "DEV".
    static constexpr std::string_view kPrefix = "cloudflared version ";
    const auto at = output.find(kPrefix);
    if (at == std::string::npos) return {};
    const auto start = at + kPrefix.size();
    const auto end = output.find_first_of(" \t\r\n", start);
    return output.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

PreflightResult preflight_cloudflared(const std::string& binary) {
    const auto path = tc::find_program(binary);
    if (!path) {
        if (binary.find('/') != std::string::npos) {
            throw std::runtime_error(
                "cloudflared at " + binary +
                " is not an executable file; fix the plugin's \"binary\" setting");
        }
        throw std::runtime_error(binary +
                                 " was not found on PATH; install cloudflared "
                                 "(https://developers.cloudflare.com/cloudflare-one/connections/"
                                 "connect-networks/downloads/) "
                                 "or set the plugin's \"binary\" to its full path");
    }
    const auto run = tc::run_program({*path, "--version"}, std::chrono::seconds(10));
    if (run.exit_code != 0) {
        throw std::runtime_error("`" + *path + " --version` failed (" +
                                 (run.timed_out ? std::string("no answer within 10 s")
                                                : "exit code " + std::to_string(run.exit_code)) +
                                 (run.output.empty() ? "" : ": " + first_line(run.output)) +
                                 "); check that it is a working cloudflared");
    }
    const auto version = parse_cloudflared_version(run.output);
    if (version.empty()) {
        throw std::runtime_error("`" + *path +
                                 " --version` did not print a cloudflared version (got \"" +
                                 first_line(run.output) + "\"); point \"binary\" at cloudflared");
    }
    return {*path, version};
}

void preflight_named_tunnel(const std::string& token, const std::string& hostname) {
    if (token.empty()) {
        throw std::runtime_error(
            "a named tunnel needs its token: set TUNNEL_TOKEN in mcpproxy's environment (or the "
            "plugin's "
            "\"token_file\"); copy it from the Cloudflare dashboard, Networks > Tunnels > your "
            "tunnel");
    }
    if (!tunnel_id_of_token(token)) {
        throw std::runtime_error(
            "the tunnel token is not valid (a Cloudflare tunnel token is the base64 text the "
            "dashboard "
            "shows for the tunnel); copy it again from Networks > Tunnels > your tunnel");
    }
    if (hostname.empty()) {
        throw std::runtime_error(
            "a named tunnel needs \"hostname\": the public hostname you routed to this proxy in "
            "the "
            "Cloudflare dashboard (e.g. mcp.example.com)");
    }
}

}  // namespace mcpproxy::tunnel_cloudflared
