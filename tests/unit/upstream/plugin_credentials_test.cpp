#include "kernel/upstream/plugin_credentials.hpp"

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>

#include <sstream>
#include <stdexcept>

namespace mcpproxy::upstream {
namespace {

using sdk::HeaderField;
using sdk::UnauthorizedAnswer;
using sdk::UnauthorizedVerdict;

class Scripted final : public sdk::UpstreamCredentials {
public:
    std::vector<HeaderField> headers;
    UnauthorizedAnswer answer;
    bool throws = false;
    int calls = 0;

    std::vector<HeaderField> headers_for(std::string_view, std::string_view) override {
        ++calls;
        if (throws) throw std::runtime_error("boom");
        return headers;
    }
    UnauthorizedAnswer on_unauthorized(std::string_view, std::string_view,
                                       std::string_view) override {
        ++calls;
        if (throws) throw 42;  // not even a std::exception
        return answer;
    }
};

class PluginCredentialsTest : public ::testing::Test {
protected:
    std::shared_ptr<spdlog::logger> logger() {
        auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(log_);
        return std::make_shared<spdlog::logger>("test", sink);
    }
    std::ostringstream log_;
};

TEST_F(PluginCredentialsTest, TheFirstProviderWithHeadersWins) {
    Scripted none, first, second;
    first.headers = {{"Authorization", "Bearer one"}};
    second.headers = {{"Authorization", "Bearer two"}};
    PluginCredentials creds({{"a", &none}, {"b", &first}, {"c", &second}}, logger());
    const auto headers = creds.headers_for("s", "http://x/mcp");
    ASSERT_EQ(headers.size(), 1U);
    EXPECT_EQ(headers[0].value, "Bearer one");
    EXPECT_EQ(second.calls, 0);
}

TEST_F(PluginCredentialsTest, MalformedHeadersAreDroppedAndNamedOnce) {
    Scripted bad;
    bad.headers = {{"Authorization", "Bearer x\r\nInjected: yes"}, {"Bad Name", "v"}};
    Scripted good;
    good.headers = {{"X-Token", "fine\tvalue"}};
    PluginCredentials creds({{"bad", &bad}, {"good", &good}}, logger());
    for (int i = 0; i < 3; ++i) {
        const auto headers = creds.headers_for("s", "u");
        ASSERT_EQ(headers.size(), 1U);
        EXPECT_EQ(headers[0].name, "X-Token");
    }
    const auto text = log_.str();
    EXPECT_NE(text.find("plugin bad"), std::string::npos) << text;
    EXPECT_EQ(text.find("plugin bad"), text.rfind("plugin bad")) << text;
    EXPECT_EQ(text.find("Injected"), std::string::npos) << "a header value was logged: " << text;
}

TEST_F(PluginCredentialsTest, AThrowingProviderIsSkippedAndLoggedOncePerCall) {
    Scripted thrower, good;
    thrower.throws = true;
    good.headers = {{"Authorization", "Bearer ok"}};
    good.answer = {UnauthorizedVerdict::retry, {}};
    PluginCredentials creds({{"thrower", &thrower}, {"good", &good}}, logger());
    for (int i = 0; i < 3; ++i) {
        EXPECT_EQ(creds.headers_for("s", "u").at(0).value, "Bearer ok");
        EXPECT_EQ(creds.on_unauthorized("s", "u", "Bearer").verdict, UnauthorizedVerdict::retry);
    }
    const auto text = log_.str();
    const auto first = text.find("plugin thrower: upstream credentials headers_for failed: boom");
    EXPECT_NE(first, std::string::npos) << text;
    EXPECT_EQ(text.find("headers_for failed", text.find('\n', first)), std::string::npos) << text;
    EXPECT_NE(text.find("on_unauthorized failed: an exception that is not a std::exception"),
              std::string::npos)
        << text;
}

TEST_F(PluginCredentialsTest, TheFirstVerdictThatIsNotNotMineCounts) {
    Scripted not_mine, login, retry;
    login.answer = {UnauthorizedVerdict::login_needed, "run it"};
    retry.answer = {UnauthorizedVerdict::retry, {}};
    PluginCredentials creds({{"a", &not_mine}, {"b", &login}, {"c", &retry}}, logger());
    const auto answer = creds.on_unauthorized("s", "u", "");
    EXPECT_EQ(answer.verdict, UnauthorizedVerdict::login_needed);
    EXPECT_EQ(answer.detail, "run it");
    EXPECT_EQ(retry.calls, 0);
}

TEST_F(PluginCredentialsTest, NoProviderMeansNoHeadersAndNotMine) {
    PluginCredentials creds({{"null", nullptr}}, logger());
    EXPECT_TRUE(creds.empty());
    EXPECT_TRUE(creds.headers_for("s", "u").empty());
    EXPECT_EQ(creds.on_unauthorized("s", "u", "").verdict, UnauthorizedVerdict::not_mine);
}

TEST(SendableHeader, RejectsWhatCouldSplitARequest) {
    EXPECT_TRUE(is_sendable_header({"Authorization", "Bearer abc"}));
    EXPECT_FALSE(is_sendable_header({"", "x"}));
    EXPECT_FALSE(is_sendable_header({"A:B", "x"}));
    EXPECT_FALSE(is_sendable_header({"A", "x\ny"}));
    EXPECT_FALSE(is_sendable_header({"A", std::string("x\0y", 3)}));
    EXPECT_FALSE(is_sendable_header({"A", "x\x7f"}));
}

}  // namespace
}  // namespace mcpproxy::upstream
