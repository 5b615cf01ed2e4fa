#include "token_format.hpp"

#include <openssl/crypto.h>

#include <array>

#include "secure_random.hpp"

namespace mcpproxy::agent_token {

std::string generate_token() {
    std::array<unsigned char, kTokenSecretBytes> bytes{};
    fill_random(bytes);
    static constexpr char kHex[] = "0123456789abcdef";
    std::string token;
    token.reserve(kTokenLength);
    token.append(kTokenPrefix);
    for (unsigned char b : bytes) {
        token.push_back(kHex[b >> 4U]);
        token.push_back(kHex[b & 0x0FU]);
    }
    OPENSSL_cleanse(bytes.data(), bytes.size());
    return token;
}

bool has_token_prefix(std::string_view credential) noexcept {
    if (credential.size() < kTokenPrefix.size()) return false;
    for (std::size_t i = 0; i < kTokenPrefix.size(); ++i) {
        char c = credential[i];
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        if (c != kTokenPrefix[i]) return false;
    }
    return true;
}

bool is_well_formed_token(std::string_view credential) noexcept {
    if (credential.size() != kTokenLength || !credential.starts_with(kTokenPrefix)) return false;
    for (char c : credential.substr(kTokenPrefix.size())) {
        const bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
        if (!hex) return false;
    }
    return true;
}

}  // namespace mcpproxy::agent_token
