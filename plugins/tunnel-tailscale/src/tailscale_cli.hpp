#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "mcpproxy/tunnel_common/program_run.hpp"
#include "tailscale_config.hpp"

namespace mcpproxy::tunnel_tailscale {

struct CliJson {
    std::optional<nlohmann::json> json;
    std::string error;  // plain words, when json is empty
};

// The `tailscale` commands the adapter uses, each a one-shot run of the user's CLI (with
// --socket when one is configured). The same calls work against tests/fakes/tailscale.
class TailscaleCli {
public:
    explicit TailscaleCli(const TailscaleConfig& config) : config_(config) {}

    tunnel_common::ProgramResult run(const std::vector<std::string>& args) const;
    CliJson status() const;        // tailscale status --json
    CliJson serve_config() const;  // tailscale serve status --json
    // tailscale serve|funnel --bg --https=PORT TARGET
    tunnel_common::ProgramResult apply(const std::string& target) const;
    // tailscale serve|funnel --https=PORT off
    tunnel_common::ProgramResult turn_off() const;

    [[nodiscard]] std::string command_word() const;  // "serve" or "funnel"

private:
    CliJson run_json(const std::vector<std::string>& args) const;
    const TailscaleConfig& config_;
};

// The last non-empty line of a command's output, trimmed (tailscale prints its error last).
std::string last_line(const std::string& output);

}  // namespace mcpproxy::tunnel_tailscale
