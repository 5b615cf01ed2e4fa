#include "key_file.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <thread>
#include <vector>

#include "temp_dir.hpp"
#include "token_hasher.hpp"

using namespace mcpproxy::agent_token;
using agt_test::file_mode;
using agt_test::TempDir;

namespace {

// Restores the process umask when the test ends.
class UmaskGuard {
public:
    explicit UmaskGuard(mode_t mask) : old_(::umask(mask)) {}
    ~UmaskGuard() { ::umask(old_); }
    UmaskGuard(const UmaskGuard&) = delete;
    UmaskGuard& operator=(const UmaskGuard&) = delete;

private:
    mode_t old_;
};

std::string fingerprint(const TokenKey& key) {
    return TokenHasher(key).key_fingerprint();
}

std::string error_of(const std::filesystem::path& file) {
    try {
        (void)read_key_file(file);
    } catch (const std::exception& e) {
        return e.what();
    }
    return {};
}

}  // namespace

TEST(KeyFile, MissingFileReadsAsNothing) {
    TempDir dir;
    EXPECT_FALSE(read_key_file(dir.path() / "token.key").has_value());
}

TEST(KeyFile, IsCreatedOnFirstUseWith32BytesAndMode0600WhateverTheUmask) {
    TempDir dir;
    UmaskGuard open_umask(0);
    const auto file = dir.path() / "token.key";
    const auto key = load_or_create_key_file(file);
    EXPECT_EQ(file_mode(file), 0600U);
    EXPECT_EQ(std::filesystem::file_size(file), 32U);
    // Nothing but the key is left behind (no temp files).
    EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir.path()), {}), 1);
    // Reused, not recreated.
    EXPECT_EQ(fingerprint(load_or_create_key_file(file)), fingerprint(key));
    EXPECT_EQ(fingerprint(*read_key_file(file)), fingerprint(key));
}

TEST(KeyFile, RefusesGroupOrWorldReadableFileAndSaysHowToFix) {
    TempDir dir;
    const auto file = dir.path() / "token.key";
    (void)load_or_create_key_file(file);
    ASSERT_EQ(::chmod(file.c_str(), 0644), 0);
    const auto message = error_of(file);
    EXPECT_NE(message.find("0644"), std::string::npos) << message;
    EXPECT_NE(message.find("chmod 600 " + file.string()), std::string::npos) << message;
    EXPECT_THROW((void)load_or_create_key_file(file), std::runtime_error);
    ASSERT_EQ(::chmod(file.c_str(), 0640), 0);
    EXPECT_NE(error_of(file).find("0640"), std::string::npos);
    ASSERT_EQ(::chmod(file.c_str(), 0600), 0);
    EXPECT_EQ(error_of(file), "");
}

TEST(KeyFile, RefusesSymlinksAndWrongSizes) {
    TempDir dir;
    const auto real = dir.path() / "real.key";
    (void)load_or_create_key_file(real);
    const auto link = dir.path() / "token.key";
    std::filesystem::create_symlink(real, link);
    EXPECT_NE(error_of(link).find("symbolic link"), std::string::npos);

    const auto short_file = dir.path() / "short.key";
    {
        std::ofstream out(short_file, std::ios::binary);
        out << std::string(31, 'x');
    }
    ASSERT_EQ(::chmod(short_file.c_str(), 0600), 0);
    EXPECT_NE(error_of(short_file).find("31 bytes, expected 32"), std::string::npos);
}

TEST(KeyFile, ConcurrentFirstUsersAllEndUpWithTheSameKey) {
    TempDir dir;
    const auto file = dir.path() / "token.key";
    std::vector<std::string> prints(8);
    std::vector<std::thread> threads;
    for (std::size_t i = 0; i < prints.size(); ++i) {
        threads.emplace_back([&, i] { prints[i] = fingerprint(load_or_create_key_file(file)); });
    }
    for (auto& t : threads) t.join();
    for (const auto& p : prints) EXPECT_EQ(p, prints.front());
    EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir.path()), {}), 1);
}
