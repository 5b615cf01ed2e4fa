#pragma once

#include <chrono>
#include <string>
#include <utility>
#include <vector>

namespace bench {

// Where the load goes: a loopback Streamable-HTTP MCP endpoint.
struct LoadTarget {
    std::string host;  // numeric loopback address
    std::string port;
    std::string path;         // request target, e.g. "/mcp"
    std::string host_header;  // as the URL spelled it, e.g. "127.0.0.1:8080"
};

// One kind of request a session makes: a tools/call of one tool, or a method without a tool
// (tools/list, ping). Sessions cycle through the steps, each session from a different one.
struct LoadStep {
    std::string label;        // as given: "one__echo", "tools/list", ...
    std::string method;       // "tools/call", "tools/list", "ping"
    std::string params_json;  // the request's params, serialised once
};

struct LoadOptions {
    LoadTarget target;
    unsigned connections = 1;
    std::chrono::duration<double> duration{5.0};  // upper bound of every run
    std::chrono::duration<double> warmup{0.5};    // calls made before this are not measured
    unsigned long long count = 0;  // calls per connection; 0: as many as fit in the duration
    std::string tool = "echo";
    std::string arguments_json = R"({"text":"hello"})";
    // From --mix; when none is given, one step: tools/call of `tool` with `arguments_json`.
    std::vector<LoadStep> steps;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string protocol_version = "2025-06-18";
    std::chrono::duration<double> timeout{10.0};  // per request
    unsigned threads = 1;
    bool json_output = false;
};

// Parses the command line; throws std::invalid_argument with a message for the user. Returns
// nothing (and has printed help) when asked for --help.
bool parse_load_options(int argc, char** argv, LoadOptions& options);

// A --mix entry: "tools/list", "ping", "TOOL" (called with default_arguments_json) or
// "TOOL=ARGS_JSON". Throws std::invalid_argument when the arguments are not a JSON object.
LoadStep parse_load_step(const std::string& entry, const std::string& default_arguments_json);

// Splits an http:// URL into a target, refusing anything that is not loopback.
LoadTarget parse_loopback_url(const std::string& url);

}  // namespace bench
