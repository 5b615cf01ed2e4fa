#include "mcp_load_options.hpp"

#include <CLI/CLI.hpp>
#include <boost/json.hpp>
#include <boost/url/parse.hpp>
#include <stdexcept>

namespace bench {

LoadTarget parse_loopback_url(const std::string& url) {
    const auto parsed = boost::urls::parse_absolute_uri(url);
    if (!parsed || parsed->scheme() != "http") {
        throw std::invalid_argument("--url must be an http:// URL: " + url);
    }
    LoadTarget target;
    const std::string host = parsed->host();
    if (host == "127.0.0.1" || host == "localhost") {
        target.host = "127.0.0.1";
    } else if (host == "[::1]") {
        target.host = "::1";
    } else {
        throw std::invalid_argument("the load generator only talks to loopback, not " + host);
    }
    target.port = parsed->has_port() ? std::string(parsed->port()) : "80";
    target.path = parsed->encoded_path().empty() ? "/" : std::string(parsed->encoded_path());
    if (parsed->has_query()) target.path += "?" + std::string(parsed->encoded_query());
    target.host_header = std::string(parsed->encoded_authority());
    return target;
}

namespace {

std::pair<std::string, std::string> split_header(const std::string& line) {
    const auto colon = line.find(':');
    if (colon == std::string::npos || colon == 0) {
        throw std::invalid_argument("--header must look like 'Name: value'");
    }
    auto value = line.substr(colon + 1);
    value.erase(0, value.find_first_not_of(' '));
    return {line.substr(0, colon), value};
}

void require_json_object(const std::string& text, const std::string& what) {
    boost::system::error_code ec;
    const auto value = boost::json::parse(text, ec);
    if (ec || !value.is_object()) throw std::invalid_argument(what + " must be a JSON object");
}

}  // namespace

LoadStep parse_load_step(const std::string& entry, const std::string& default_arguments_json) {
    if (entry == "tools/list" || entry == "ping") return LoadStep{entry, entry, "{}"};
    const auto equals = entry.find('=');
    const auto tool = entry.substr(0, equals);
    if (tool.empty()) throw std::invalid_argument("--mix entry without a tool name: " + entry);
    const auto arguments =
        equals == std::string::npos ? default_arguments_json : entry.substr(equals + 1);
    require_json_object(arguments, "the arguments of --mix " + tool);
    return LoadStep{tool, "tools/call",
                    "{\"name\":" + boost::json::serialize(boost::json::string(tool)) +
                        ",\"arguments\":" + arguments + "}"};
}

bool parse_load_options(int argc, char** argv, LoadOptions& options) {
    CLI::App app{
        "MCP load generator: N sessions (one keep-alive connection each) call one tool (or cycle "
        "through a --mix of requests) in a loop and report requests/s and latency percentiles."};
    std::string url;
    double duration = options.duration.count();
    double warmup = options.warmup.count();
    double timeout = options.timeout.count();
    std::vector<std::string> headers;
    std::vector<std::string> mix;
    std::string format = "text";
    app.add_option("--url", url, "MCP endpoint, e.g. http://127.0.0.1:8080/mcp (loopback only)")
        ->required();
    app.add_option("-c,--connections", options.connections, "Concurrent sessions")
        ->check(CLI::Range(1U, 4096U));
    app.add_option("-d,--duration", duration, "Seconds per run, warm-up included (upper bound)")
        ->check(CLI::Range(0.01, 600.0));
    app.add_option("--warmup", warmup, "Seconds of calls left out of the figures");
    app.add_option("-n,--count", options.count, "Calls per session (0: until the duration ends)");
    app.add_option("--tool", options.tool, "Tool name for tools/call");
    app.add_option("--args", options.arguments_json, "Tool arguments as a JSON object");
    app.add_option("--mix", mix,
                   "Request each session cycles through instead of --tool (repeatable): "
                   "tools/list, ping, TOOL or TOOL=ARGS_JSON; reported per entry too");
    app.add_option("-H,--header", headers, "Extra request header 'Name: value' (repeatable)");
    app.add_option("--protocol-version", options.protocol_version, "MCP protocol version to offer");
    app.add_option("--timeout", timeout, "Seconds before a request counts as failed");
    app.add_option("--threads", options.threads, "I/O threads of the load generator")
        ->check(CLI::Range(1U, 64U));
    app.add_option("--format", format, "text or json")->check(CLI::IsMember({"text", "json"}));
    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        app.exit(e);
        return false;
    } catch (const CLI::ParseError& e) {
        throw std::invalid_argument(e.what());
    }
    options.target = parse_loopback_url(url);
    options.duration = std::chrono::duration<double>(duration);
    options.warmup = std::chrono::duration<double>(warmup);
    options.timeout = std::chrono::duration<double>(timeout);
    options.json_output = format == "json";
    if (options.warmup >= options.duration) {
        throw std::invalid_argument("--warmup must be shorter than --duration");
    }
    require_json_object(options.arguments_json, "--args");
    if (mix.empty()) mix.push_back(options.tool);
    for (const auto& entry : mix)
        options.steps.push_back(parse_load_step(entry, options.arguments_json));
    for (const auto& h : headers) options.headers.push_back(split_header(h));
    return true;
}

}  // namespace bench
