#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <vector>

#include "mcpproxy/sdk/command.hpp"
#include "token_service.hpp"

namespace mcpproxy::agent_token {

struct CommandEnvironment {
    std::function<std::filesystem::path()> data_dir;  // asked at run time
    TokenService::Clock clock;
    std::chrono::milliseconds busy_timeout{5'000};
    std::chrono::seconds default_lifetime = kDefaultLifetime;
};

// `token create|list|show|revoke|delete|regenerate`. Each run opens the store itself, prints one
// clear "error: ..." line to stderr and returns 1 on failure, 0 on success.
[[nodiscard]] std::vector<sdk::CommandSpec> token_commands(CommandEnvironment env);

}  // namespace mcpproxy::agent_token
