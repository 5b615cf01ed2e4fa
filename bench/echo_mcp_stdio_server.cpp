// The bench echo MCP server over stdio: newline-delimited JSON-RPC on stdin/stdout, the read-only
// tools `echo` and `repeat`. Answers each message in order; exits at end of input.

#include <boost/json.hpp>
#include <cstdio>
#include <iostream>
#include <string>

#include "echo_mcp_handler.hpp"

int main() {
    std::ios::sync_with_stdio(false);
    std::string line;
    std::string out;
    while (std::getline(std::cin, line)) {
        if (line.empty() || line == "\r") continue;
        const auto reply = bench::answer_mcp_text(line);
        if (!reply) continue;
        out = boost::json::serialize(*reply);
        out.push_back('\n');
        std::fwrite(out.data(), 1, out.size(), stdout);
        // Replies to requests already buffered go out together; the last one is never held back.
        if (std::cin.rdbuf()->in_avail() <= 0) std::fflush(stdout);
    }
    return 0;
}
