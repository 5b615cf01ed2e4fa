#pragma once

#include <sys/types.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

namespace mcpproxy::test {

// tests/fakes/bearer-mcp-upstream as a child process: an HTTP MCP upstream on 127.0.0.1 that
// accepts the bearer tokens written with set_tokens() and records every request it got.
class BearerUpstream {
public:
    BearerUpstream(const std::filesystem::path& dir, const std::string& tokens);
    ~BearerUpstream();
    BearerUpstream(const BearerUpstream&) = delete;
    BearerUpstream& operator=(const BearerUpstream&) = delete;

    [[nodiscard]] std::string url() const;
    void set_tokens(const std::string& tokens);
    // Every request so far: [{method, path, headers, rpc, status}].
    [[nodiscard]] nlohmann::json seen() const;

private:
    std::filesystem::path tokens_file_;
    pid_t pid_ = -1;
    unsigned short port_ = 0;
};

}  // namespace mcpproxy::test
