#include "mcpproxy/tunnel_common/program_run.hpp"

#include <gtest/gtest.h>

namespace mcpproxy::tunnel_common {
namespace {
using namespace std::chrono_literals;

TEST(ProgramRun, CapturesOutputExitCodeAndEnvironment) {
    const auto r = run_program({"sh", "-c", "echo out; echo err >&2; echo $T_VALUE; exit 3"}, 5s,
                               {{"T_VALUE", "from-env"}});
    EXPECT_EQ(r.exit_code, 3);
    EXPECT_NE(r.output.find("out"), std::string::npos);
    EXPECT_NE(r.output.find("err"), std::string::npos);
    EXPECT_NE(r.output.find("from-env"), std::string::npos);
    EXPECT_FALSE(r.timed_out);
}

TEST(ProgramRun, KillsAfterTheTimeoutAndReportsMissingPrograms) {
    const auto started = std::chrono::steady_clock::now();
    const auto r = run_program({"sleep", "30"}, 200ms);
    EXPECT_TRUE(r.timed_out);
    EXPECT_LT(std::chrono::steady_clock::now() - started, 5s);
    const auto missing = run_program({"surely-not-a-program-xyz"});
    EXPECT_EQ(missing.exit_code, -1);
    EXPECT_NE(missing.error.find("not found"), std::string::npos);
    EXPECT_FALSE(find_program("surely-not-a-program-xyz"));
    EXPECT_TRUE(find_program("sh"));
}

TEST(ProgramRun, FindsVersions) {
    EXPECT_EQ(find_version("cloudflared version 2024.8.2 (built 2024-08-05-1234 UTC)"), "2024.8.2");
    EXPECT_EQ(find_version("1.70.0\n  tailscale commit: abc"), "1.70.0");
    EXPECT_EQ(find_version("ngrok version 3.14.0"), "3.14.0");
    EXPECT_EQ(find_version("no digits here"), "");
}

}  // namespace
}  // namespace mcpproxy::tunnel_common
