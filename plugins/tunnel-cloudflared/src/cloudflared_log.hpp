#pragma once

#include <string>
#include <string_view>

namespace mcpproxy::tunnel_cloudflared {

// What one cloudflared log line tells the adapter.
struct LogLineFacts {
    bool error = false;           // an ERR/FTL line, or a plain line printed before exiting
    std::string message;          // the line without timestamp and level
    std::string quick_url;        // "https://….trycloudflare.com" from the banner box
    bool registered = false;      // "Registered tunnel connection"
    bool token_rejected = false;  // the token is not valid or the edge refused its secret
};

LogLineFacts read_log_line(std::string_view line);

}  // namespace mcpproxy::tunnel_cloudflared
