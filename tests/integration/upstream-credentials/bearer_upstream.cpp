#include "tests/integration/upstream-credentials/bearer_upstream.hpp"

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <vector>

#include "tests/support/raw_http.hpp"

extern char** environ;

namespace mcpproxy::test {

BearerUpstream::BearerUpstream(const std::filesystem::path& dir, const std::string& tokens)
    : tokens_file_(dir / "upstream-tokens") {
    set_tokens(tokens);
    const auto port_file = dir / "upstream-port";
    std::vector<std::string> args{MCPPROXY_NODE,   MCPPROXY_BEARER_UPSTREAM,
                                  "--port-file",   port_file.string(),
                                  "--tokens-file", tokens_file_.string()};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    if (posix_spawn(&pid_, argv[0], nullptr, nullptr, argv.data(), environ) != 0) {
        throw std::runtime_error("cannot start node");
    }
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(15);
    while (std::chrono::steady_clock::now() < until) {
        std::ifstream in(port_file);
        unsigned port = 0;
        if (in >> port && port != 0) {
            port_ = static_cast<unsigned short>(port);
            return;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    throw std::runtime_error("bearer-mcp-upstream did not start");
}

BearerUpstream::~BearerUpstream() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGTERM);
    int status = 0;
    ::waitpid(pid_, &status, 0);
}

std::string BearerUpstream::url() const {
    return "http://127.0.0.1:" + std::to_string(port_) + "/mcp";
}

void BearerUpstream::set_tokens(const std::string& tokens) {
    const auto tmp = tokens_file_.string() + ".tmp";
    std::ofstream(tmp) << tokens << "\n";
    std::filesystem::rename(tmp, tokens_file_);
}

nlohmann::json BearerUpstream::seen() const {
    const auto r = http_request(port_, boost::beast::http::verb::get, "/_seen");
    return nlohmann::json::parse(r.body());
}

}  // namespace mcpproxy::test
