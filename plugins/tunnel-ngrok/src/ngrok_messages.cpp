#include "ngrok_messages.hpp"

#include <cctype>
#include <charconv>
#include <nlohmann/json.hpp>

namespace mcpproxy::tunnel_ngrok {

std::optional<LogLine> parse_log_line(std::string_view line) {
    const auto j = nlohmann::json::parse(line, nullptr, false);
    if (j.is_discarded() || !j.is_object()) return std::nullopt;
    auto text = [&j](const char* key) {
        const auto it = j.find(key);
        return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
    };
    LogLine out;
    out.lvl = text("lvl");
    out.msg = text("msg");
    out.obj = text("obj");
    out.err = text("err");
    out.url = text("url");
    return out;
}

std::optional<int> ngrok_error_code(std::string_view text) {
    constexpr std::string_view prefix = "ERR_NGROK_";
    const auto at = text.find(prefix);
    if (at == std::string_view::npos) return std::nullopt;
    const auto digits = text.substr(at + prefix.size());
    int code = 0;
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), code);
    if (ec != std::errc() || end == digits.data()) return std::nullopt;
    return code;
}

std::optional<std::string> explain_ngrok_error(int code) {
    switch (code) {
        case 4018:
            return std::string(
                "ngrok refused the session: no authtoken was given (ERR_NGROK_4018). Put your "
                "authtoken (https://dashboard.ngrok.com/get-started/your-authtoken) in "
                "NGROK_AUTHTOKEN in mcpproxy's environment and start mcpproxy again");
        case 105:
            return std::string(
                "ngrok refused the authtoken: it is not a valid ngrok authtoken (ERR_NGROK_105). "
                "Copy it again from https://dashboard.ngrok.com/get-started/your-authtoken into "
                "NGROK_AUTHTOKEN and start mcpproxy again");
        case 108:
            return std::string(
                "ngrok refused the session: your account's limit of simultaneous agent sessions is "
                "reached, another ngrok agent is already online (ERR_NGROK_108). Stop the other "
                "agent (see https://dashboard.ngrok.com/agents) or upgrade the plan; mcpproxy "
                "keeps "
                "retrying");
        case 334:
            return std::string(
                "ngrok could not start the endpoint: the same URL is already online from another "
                "agent (ERR_NGROK_334). Stop the other agent or endpoint, or configure a different "
                "\"url\"; mcpproxy keeps retrying");
        default:
            return std::nullopt;
    }
}

bool error_is_permanent(int code) {
    return code == 4018 || code == 105;
}

std::string redact(std::string text, const std::string& secret) {
    if (secret.empty()) return text;
    for (auto at = text.find(secret); at != std::string::npos; at = text.find(secret, at)) {
        text.replace(at, secret.size(), "[redacted]");
        at += 10;
    }
    return text;
}

}  // namespace mcpproxy::tunnel_ngrok
