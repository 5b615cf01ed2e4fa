#include "kernel/plugins/plugin_faults.hpp"

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>

#include <sstream>
#include <stdexcept>

namespace mcpproxy::plugins {
namespace {

std::size_t count_of(const std::string& text, const std::string& what) {
    std::size_t n = 0;
    for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
    return n;
}

class PluginFaultsTest : public ::testing::Test {
protected:
    std::ostringstream log_;
    PluginFaults faults_{std::make_shared<spdlog::logger>(
        "test", std::make_shared<spdlog::sinks::ostream_sink_mt>(log_))};
};

TEST_F(PluginFaultsTest, AThrowingCallGivesTheFallbackMarksThePluginFailedAndIsLoggedOnce) {
    std::vector<std::string> told;
    faults_.on_failed([&](const std::string& plugin, const std::string& error) {
        told.push_back(plugin + ": " + error);
    });
    for (int i = 0; i < 5; ++i) {
        const int answer = faults_.call(
            "p", "health_detail()", []() -> int { throw std::runtime_error("boom"); }, -1);
        EXPECT_EQ(answer, -1);
    }
    EXPECT_EQ(faults_.call(
                  "p", "other()", [] { return 7; }, -1),
              7);
    EXPECT_EQ(faults_.failure("p"), "health_detail() failed: boom");
    EXPECT_FALSE(faults_.failure("q"));
    EXPECT_EQ(told, std::vector<std::string>{"p: health_detail() failed: boom"});
    EXPECT_EQ(count_of(log_.str(), "plugin p: health_detail() failed: boom"), 1U) << log_.str();
}

TEST_F(PluginFaultsTest, EachFailingCallIsLoggedOnceAndTheFirstFailureIsKept) {
    faults_.call(
        "p", "a()", []() -> bool { throw 42; }, false);
    faults_.call(
        "p", "b()", []() -> bool { throw std::logic_error("second"); }, false);
    faults_.call(
        "p", "b()", []() -> bool { throw std::logic_error("second"); }, false);
    EXPECT_EQ(faults_.failure("p"), "a() failed: an exception that is not a std::exception");
    EXPECT_EQ(count_of(log_.str(), "plugin p: a() failed"), 1U) << log_.str();
    EXPECT_EQ(count_of(log_.str(), "plugin p: b() failed: second"), 1U) << log_.str();
}

}  // namespace
}  // namespace mcpproxy::plugins
