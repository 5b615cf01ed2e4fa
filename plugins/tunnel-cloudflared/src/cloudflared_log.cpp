#include "cloudflared_log.hpp"

#include "mcpproxy/tunnel_common/url.hpp"

namespace mcpproxy::tunnel_cloudflared {

LogLineFacts read_log_line(std::string_view line) {
    LogLineFacts facts;
    // "2024-08-05T10:00:00Z INF message ..." (zerolog console format).
    std::string_view rest = line;
    std::string_view level;
    if (const auto space = rest.find(' '); space != std::string_view::npos && space >= 19 &&
                                           rest.size() > space + 4 && rest[4] == '-' &&
                                           rest[10] == 'T') {
        level = rest.substr(space + 1, 3);
        rest = rest.substr(space + 5);
    }
    facts.message = std::string(rest);
    if (level == "ERR" || level == "FTL") facts.error = true;
    // Errors cloudflared prints without the log prefix before it exits (CLI usage errors).
    if (level.empty() && (line.find("not valid") != std::string_view::npos ||
                          line.find("requires the ID or name") != std::string_view::npos ||
                          line.starts_with("Incorrect Usage") || line.starts_with("failed to") ||
                          line.starts_with("panic:"))) {
        facts.error = true;
    }
    facts.quick_url = tunnel_common::find_url_in_line(line, ".trycloudflare.com");
    facts.registered = line.find("Registered tunnel connection") != std::string_view::npos;
    facts.token_rejected = line.find("Tunnel token is not valid") != std::string_view::npos ||
                           line.find("Invalid tunnel secret") != std::string_view::npos ||
                           line.find("Unauthorized") != std::string_view::npos;
    return facts;
}

}  // namespace mcpproxy::tunnel_cloudflared
