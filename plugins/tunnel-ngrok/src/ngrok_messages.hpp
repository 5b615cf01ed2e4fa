#pragma once

// What ngrok's JSON log lines (`--log stdout --log-format json`) and error texts mean, in plain
// words. Pure functions, unit-tested against the real lines.

#include <optional>
#include <string>
#include <string_view>

namespace mcpproxy::tunnel_ngrok {

struct LogLine {
    std::string lvl;  // "info", "warn", "eror", "crit", "dbug"
    std::string msg;
    std::string obj;
    std::string err;
    std::string url;  // set on "started tunnel"
};

// nullopt when the line is not a JSON object (ngrok prints a few plain lines on stderr).
std::optional<LogLine> parse_log_line(std::string_view line);

// "ERR_NGROK_4018" -> 4018, from any text; nullopt when there is none.
std::optional<int> ngrok_error_code(std::string_view text);

// The operator-facing explanation for an ngrok error code (what happened and what to do), or
// nullopt for codes this adapter does not know.
std::optional<std::string> explain_ngrok_error(int code);

// Whether restarting ngrok can help (a bad or missing authtoken cannot fix itself).
bool error_is_permanent(int code);

// text with every occurrence of secret replaced by "[redacted]" (no-op for an empty secret).
std::string redact(std::string text, const std::string& secret);

}  // namespace mcpproxy::tunnel_ngrok
