#include "kernel/mgmt/admin_key.hpp"

#include <openssl/crypto.h>
#include <openssl/sha.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "kernel/util/atomic_file.hpp"
#include "kernel/util/random.hpp"

namespace mcpproxy::mgmt {
namespace {

constexpr const char* kFileName = "admin.key";

std::string trim(std::string s) {
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
    return s;
}

}  // namespace

std::string read_admin_key(const std::string& data_dir) {
    const auto path = std::filesystem::path(data_dir) / kFileName;
    std::ifstream in(path);
    if (!in) return {};
    std::stringstream buffer;
    buffer << in.rdbuf();
    return trim(buffer.str());
}

std::string load_or_create_admin_key(const std::string& data_dir, const std::string& configured) {
    if (!configured.empty()) return configured;
    const auto path = std::filesystem::path(data_dir) / kFileName;
    std::error_code ec;
    if (std::filesystem::exists(path, ec)) {
        const auto perms = std::filesystem::status(path).permissions();
        using std::filesystem::perms;
        if ((perms & (perms::group_all | perms::others_all)) != perms::none) {
            throw std::runtime_error(
                path.string() + " is readable by other users; run: chmod 600 " + path.string());
        }
        auto key = read_admin_key(data_dir);
        if (!key.empty()) return key;
    }
    std::string key = "mcp_adm_" + util::random_hex(32);
    util::write_file_atomically(path, key + "\n", 0600);
    return key;
}

bool admin_key_matches(std::string_view expected, std::string_view presented) {
    if (expected.empty()) return false;
    unsigned char a[SHA256_DIGEST_LENGTH];
    unsigned char b[SHA256_DIGEST_LENGTH];
    SHA256(reinterpret_cast<const unsigned char*>(expected.data()), expected.size(), a);
    SHA256(reinterpret_cast<const unsigned char*>(presented.data()), presented.size(), b);
    return CRYPTO_memcmp(a, b, SHA256_DIGEST_LENGTH) == 0;
}

}  // namespace mcpproxy::mgmt
