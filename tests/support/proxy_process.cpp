#include "tests/support/proxy_process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace mcpproxy::test {
namespace {

std::string read_file(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

bool has_flag(const std::vector<std::string>& args, const std::string& flag) {
    for (const auto& a : args) {
        if (a == flag || a.starts_with(flag + "=")) return true;
    }
    return false;
}

pid_t spawn(const std::vector<std::string>& argv, const std::filesystem::path& out,
            const std::filesystem::path& err, const std::vector<std::string>& extra_env) {
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (out == err) {
        posix_spawn_file_actions_adddup2(&actions, 1, 2);
    } else {
        posix_spawn_file_actions_addopen(&actions, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                         0600);
    }
    std::vector<std::string> env_strings;
    for (char** e = environ; *e != nullptr; ++e) env_strings.emplace_back(*e);
    for (const auto& e : extra_env) env_strings.push_back(e);
    std::vector<char*> envp;
    for (auto& e : env_strings) envp.push_back(e.data());
    envp.push_back(nullptr);
    std::vector<std::string> args = argv;
    std::vector<char*> cargv;
    for (auto& a : args) cargv.push_back(a.data());
    cargv.push_back(nullptr);
    pid_t pid = -1;
    const int rc = posix_spawn(&pid, cargv[0], &actions, nullptr, cargv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) throw std::runtime_error("cannot start " + argv[0]);
    return pid;
}

int decode_status(int status) {
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
    return -1;
}

}  // namespace

std::string mcpproxy_binary() {
    const char* bin = std::getenv("MCPPROXY_BIN");
    if (bin == nullptr) throw std::runtime_error("MCPPROXY_BIN is not set");
    return bin;
}

std::filesystem::path build_dir() {
    return std::filesystem::path(mcpproxy_binary()).parent_path().parent_path();
}

std::filesystem::path plugin_dir() {
    return build_dir() / "lib" / "mcpproxy" / "plugins";
}

RunResult run_mcpproxy(const std::vector<std::string>& args, std::chrono::seconds limit,
                       const std::vector<std::string>& extra_env) {
    char out_tmpl[] = "/tmp/mcpproxy-run-out-XXXXXX";
    char err_tmpl[] = "/tmp/mcpproxy-run-err-XXXXXX";
    ::close(::mkstemp(out_tmpl));
    ::close(::mkstemp(err_tmpl));
    std::vector<std::string> argv{mcpproxy_binary()};
    argv.insert(argv.end(), args.begin(), args.end());
    const pid_t pid = spawn(argv, out_tmpl, err_tmpl, extra_env);
    RunResult result;
    const auto deadline = std::chrono::steady_clock::now() + limit;
    int status = 0;
    while (::waitpid(pid, &status, WNOHANG) == 0) {
        if (std::chrono::steady_clock::now() > deadline) {
            ::kill(pid, SIGKILL);
            ::waitpid(pid, &status, 0);
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    result.exit_code = decode_status(status);
    result.out = read_file(out_tmpl);
    result.err = read_file(err_tmpl);
    ::unlink(out_tmpl);
    ::unlink(err_tmpl);
    return result;
}

ProxyProcess::ProxyProcess(std::vector<std::string> args, const std::filesystem::path& work_dir,
                           const std::vector<std::string>& extra_env) {
    port_file_ = work_dir / "ports.json";
    log_file_ = work_dir / "mcpproxy.log";
    std::filesystem::remove(port_file_);
    std::vector<std::string> argv{mcpproxy_binary(), "serve", "--port-file", port_file_.string()};
    if (!has_flag(args, "--listen") && !has_flag(args, "--config")) {
        argv.insert(argv.end(), {"--listen", "127.0.0.1:0"});
    }
    if (!has_flag(args, "--data-dir")) {
        argv.insert(argv.end(), {"--data-dir", (work_dir / "data").string()});
    }
    argv.insert(argv.end(), args.begin(), args.end());
    pid_ = spawn(argv, log_file_, log_file_, extra_env);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (std::chrono::steady_clock::now() < deadline) {
        if (std::filesystem::exists(port_file_)) {
            const auto doc = nlohmann::json::parse(read_file(port_file_));
            const std::string main = doc["listeners"]["main"];
            port_ = static_cast<unsigned short>(std::stoi(main.substr(main.rfind(':') + 1)));
            return;
        }
        int status = 0;
        if (::waitpid(pid_, &status, WNOHANG) == pid_) {
            exit_code_ = decode_status(status);
            pid_ = -1;
            return;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
}

unsigned short ProxyProcess::port(const std::string& listener) const {
    const auto doc = nlohmann::json::parse(read_file(port_file_));
    const std::string address = doc["listeners"].at(listener);
    return static_cast<unsigned short>(std::stoi(address.substr(address.rfind(':') + 1)));
}

std::string ProxyProcess::log() const {
    return read_file(log_file_);
}

int ProxyProcess::wait_exit(std::chrono::milliseconds limit) {
    if (pid_ <= 0) return exit_code_;
    const auto deadline = std::chrono::steady_clock::now() + limit;
    int status = 0;
    while (std::chrono::steady_clock::now() < deadline) {
        if (::waitpid(pid_, &status, WNOHANG) == pid_) {
            exit_code_ = decode_status(status);
            pid_ = -1;
            return exit_code_;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return -1;
}

int ProxyProcess::stop(std::chrono::seconds grace) {
    if (pid_ <= 0) return exit_code_;
    ::kill(pid_, SIGTERM);
    if (wait_exit(grace) == -1) kill_now();
    return exit_code_;
}

void ProxyProcess::kill_now() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGKILL);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    exit_code_ = decode_status(status);
    pid_ = -1;
}

ProxyProcess::~ProxyProcess() {
    stop();
}

}  // namespace mcpproxy::test
