#include "tailscale_cli.hpp"

namespace mcpproxy::tunnel_tailscale {

std::string last_line(const std::string& output) {
    auto end = output.find_last_not_of(" \t\r\n");
    if (end == std::string::npos) return {};
    const auto start = output.rfind('\n', end);
    return output.substr(start == std::string::npos ? 0 : start + 1,
                         end - (start == std::string::npos ? 0 : start + 1) + 1);
}

std::string TailscaleCli::command_word() const {
    return config_.mode == ExposeMode::funnel ? "funnel" : "serve";
}

tunnel_common::ProgramResult TailscaleCli::run(const std::vector<std::string>& args) const {
    std::vector<std::string> argv{config_.program};
    if (!config_.socket.empty()) argv.push_back("--socket=" + config_.socket);
    argv.insert(argv.end(), args.begin(), args.end());
    return tunnel_common::run_program(argv, config_.command_timeout);
}

CliJson TailscaleCli::run_json(const std::vector<std::string>& args) const {
    const auto r = run(args);
    CliJson out;
    if (!r.error.empty()) {
        out.error = r.error;
    } else if (r.timed_out) {
        out.error = "`tailscale " + args.front() + "` did not answer within " +
                    std::to_string(config_.command_timeout.count()) + " ms";
    } else if (r.exit_code != 0) {
        out.error = last_line(r.output);
        if (out.error.empty())
            out.error = "`tailscale " + args.front() + "` failed (exit " +
                        std::to_string(r.exit_code) + ")";
    } else {
        // JSON goes to stdout; a warning line on stderr may precede it.
        const auto brace = r.output.find('{');
        auto parsed = nlohmann::json::parse(
            brace == std::string::npos ? std::string() : r.output.substr(brace), nullptr, false);
        if (parsed.is_discarded() || !parsed.is_object())
            out.error = "`tailscale " + args.front() + "` did not print JSON";
        else
            out.json = std::move(parsed);
    }
    return out;
}

CliJson TailscaleCli::status() const {
    return run_json({"status", "--json"});
}

CliJson TailscaleCli::serve_config() const {
    return run_json({"serve", "status", "--json"});
}

tunnel_common::ProgramResult TailscaleCli::apply(const std::string& target) const {
    return run({command_word(), "--bg", "--https=" + std::to_string(config_.https_port), target});
}

tunnel_common::ProgramResult TailscaleCli::turn_off() const {
    return run({command_word(), "--https=" + std::to_string(config_.https_port), "off"});
}

}  // namespace mcpproxy::tunnel_tailscale
