// What `serve` says while many upstreams start: in a log (no terminal) one summary line with the
// timings and what is not ready; on a terminal also a live line while some are still starting.
#include <dirent.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <csignal>
#include <fstream>
#include <regex>
#include <sstream>

#include "tests/integration/mcp/mcp_http.hpp"
#include "tests/integration/mcp/mcp_proxy.hpp"
#include "tests/support/proxy_process.hpp"
#include "tests/support/temp_dir.hpp"

namespace mcpproxy::test {
namespace {

using namespace std::chrono_literals;

std::size_t count(const std::string& text, const std::string& needle) {
    std::size_t n = 0;
    for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
    return n;
}

// SIGTERM to the mcpproxy serving `config` (the one under script(1) here).
void stop_mcpproxy_with_config(const std::filesystem::path& config) {
    DIR* proc = ::opendir("/proc");
    while (const dirent* e = ::readdir(proc)) {
        if (e->d_name[0] < '0' || e->d_name[0] > '9') continue;
        std::string cmdline;
        try {
            std::ifstream in(std::string("/proc/") + e->d_name + "/cmdline");
            cmdline.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
        } catch (const std::ios_base::failure&) {
            continue;  // the process ended while we read (ESRCH): not ours to stop
        }
        const auto argv0 = cmdline.substr(0, cmdline.find('\0'));
        if (argv0 == mcpproxy_binary() && cmdline.find(config.string()) != std::string::npos)
            ::kill(static_cast<pid_t>(std::atoi(e->d_name)), SIGTERM);
    }
    ::closedir(proc);
}

class ServeProgressTest : public ::testing::Test {
protected:
    TempDir dir;

    // Ten quick upstreams, one that takes `slow_seconds` to start, one whose program is missing.
    std::filesystem::path write_config(const std::string& slow_seconds) {
        const auto upstream = stdio_upstream_binary();
        Json servers = Json::array();
        for (int i = 0; i < 10; ++i) {
            const auto name = "quick" + std::to_string(i);
            servers.push_back({{"name", name}, {"command", upstream}, {"args", {name}}});
        }
        servers.push_back(
            {{"name", "slow"},
             {"command", "/bin/sh"},
             {"args", {"-c", "sleep " + slow_seconds + "; exec " + upstream + " slow"}}});
        servers.push_back({{"name", "missing"}, {"command", "/nonexistent/mcp-server"}});
        dir.write(
            "c.json",
            Json{{"listen", "127.0.0.1:0"}, {"shutdown_timeout", "5s"}, {"mcpServers", servers}}
                .dump());
        return dir / "c.json";
    }
};

TEST_F(ServeProgressTest, LogsOneSummaryWithTimingsAndNoLiveLines) {
    ProxyProcess proxy({"--config", write_config("1.2").string()}, dir.path());
    ASSERT_TRUE(proxy.started()) << proxy.log();
    ASSERT_TRUE(eventually(
        [&] { return proxy.log().find("upstreams started in") != std::string::npos; }, 15s))
        << proxy.log();
    std::this_thread::sleep_for(300ms);  // nothing more is said about the start
    const auto log = proxy.log();
    EXPECT_EQ(count(log, "upstreams started in"), 1U) << log;
    EXPECT_EQ(count(log, "starting upstreams:"), 0U) << log;
    EXPECT_TRUE(std::regex_search(
        log, std::regex(R"(upstreams started in [0-9.]+ s: 11 ready, 1 (failed|retrying); )"
                        R"(slowest: ([a-z0-9]+ [0-9.]+ s, ){0,2}slow [0-9.]+ s)")))
        << log;
    EXPECT_NE(log.find("; not ready: missing ("), std::string::npos) << log;
}

TEST_F(ServeProgressTest, OnATerminalShowsWhatIsStillStarting) {
    const auto config = write_config("2.5");
    const auto out = dir / "tty.out";
    // script(1) gives mcpproxy a terminal; it is stopped once the start is over (timeout(1) in
    // case it never is).
    const std::string command = "timeout -s TERM 20 " + mcpproxy_binary() + " serve --config " +
                                config.string() + " --data-dir " + (dir / "data").string();
    const pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
        const int null = ::open("/dev/null", O_RDWR);
        ::dup2(null, 0);
        ::dup2(null, 1);
        ::execlp("script", "script", "-qfec", command.c_str(), out.c_str(),
                 static_cast<char*>(nullptr));
        ::_exit(127);
    }
    const auto output = [&] {
        std::ifstream in(out);
        std::stringstream text;
        text << in.rdbuf();
        return text.str();
    };
    EXPECT_TRUE(eventually(
        [&] { return output().find("upstreams started in") != std::string::npos; }, 15s));
    stop_mcpproxy_with_config(config);
    int status = 0;
    ::waitpid(pid, &status, 0);
    const auto log = output();
    EXPECT_GE(count(log, "starting upstreams: "), 1U) << log;
    EXPECT_TRUE(std::regex_search(
        log, std::regex(R"(starting upstreams: [0-9]+/12 ready, .*still starting \(.*slow.*\) )"
                        R"(after [0-9]+\.[0-9] s)")))
        << log;
    EXPECT_EQ(count(log, "upstreams started in"), 1U) << log;
}

}  // namespace
}  // namespace mcpproxy::test
