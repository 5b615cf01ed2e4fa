// The secret must never reach the disk or the logs, in any encoding.
#include <gtest/gtest.h>

#include "agent_token_plugin.hpp"
#include "cli_test_support.hpp"
#include "fakes.hpp"
#include "temp_dir.hpp"

using namespace mcpproxy::agent_token;
using agt_test::create_token;
using agt_test::FakeHost;
using agt_test::FakeRequest;
using agt_test::read_file_bytes;
using agt_test::run;
using agt_test::TempDir;

namespace {

std::string unhex(std::string_view hex) {
    std::string out;
    for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
        out.push_back(static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
    }
    return out;
}

// Every encoding of the secret that could plausibly end up in a file.
std::vector<std::string> forms_of(const std::string& secret) {
    const std::string hex = secret.substr(8);
    std::string upper = hex;
    for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return {secret, hex, upper, unhex(hex), hex.substr(0, 16), unhex(hex).substr(0, 12)};
}

void expect_absent(const std::string& haystack, const std::string& secret,
                   const std::string& where) {
    for (const auto& form : forms_of(secret)) {
        EXPECT_EQ(haystack.find(form), std::string::npos)
            << "a form of the secret found in " << where;
    }
}

}  // namespace

TEST(SecretStorage, NoSecretInTheDatabaseFilesOrTheLogs) {
    TempDir dir;
    FakeHost host(dir.path().string(), R"({"last_used_flush_ms": 200})");
    AgentTokenPlugin plugin(host);
    plugin.start();
    std::vector<std::string> secrets;
    for (int i = 0; i < 5; ++i) secrets.push_back(create_token(host, "agent-" + std::to_string(i)));
    // Rotation keeps the old hash around; it must still be a hash.
    const auto regen =
        run(host, "token regenerate", {{"grace", "1h"}, {"output", "json"}}, {{"name", "agent-0"}});
    ASSERT_EQ(regen.exit_code, 0) << regen.err;
    secrets.push_back(nlohmann::json::parse(regen.out).at("token").get<std::string>());
    for (const auto& s : secrets) {
        (void)plugin.auth_bridge()->authenticate(FakeRequest().with_header("X-API-Key", s));
    }
    plugin.stop();  // flushes last-used, so every write path has run

    const auto key = read_file_bytes(dir.path() / "token.key");
    ASSERT_EQ(key.size(), 32U);
    std::size_t files = 0;
    for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
        const auto name = entry.path().filename().string();
        if (name == "token.key") continue;
        const auto bytes = read_file_bytes(entry.path());
        ++files;
        for (const auto& s : secrets) expect_absent(bytes, s, name);
        EXPECT_EQ(bytes.find(key), std::string::npos) << "the key found in " << name;
    }
    EXPECT_GE(files, 1U);
    const auto logs = host.logger_.all();
    for (const auto& s : secrets) expect_absent(logs, s, "the log");
    EXPECT_EQ(logs.find("mcp_agt_"), std::string::npos);
}

TEST(SecretStorage, OnlyTheHashIsStored) {
    TempDir dir;
    FakeHost host(dir.path().string());
    AgentTokenPlugin plugin(host);
    const auto secret = create_token(host, "ci");
    TokenStore store(dir.path(), std::chrono::seconds(1));
    const auto record = store.find("ci");
    ASSERT_TRUE(record.has_value());
    const auto key = read_file_bytes(dir.path() / "token.key");
    const TokenKey token_key(
        std::span<const unsigned char, 32>(reinterpret_cast<const unsigned char*>(key.data()), 32));
    EXPECT_EQ(record->hash, TokenHasher(token_key).hash(secret));
}
