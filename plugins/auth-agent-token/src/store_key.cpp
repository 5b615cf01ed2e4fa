#include "store_key.hpp"

#include <stdexcept>

#include "key_file.hpp"

namespace mcpproxy::agent_token {

std::unique_ptr<TokenHasher> open_store_key(const std::filesystem::path& data_dir,
                                            TokenStore& store) {
    const auto key_path = data_dir / kKeyFileName;
    const auto known = store.key_fingerprint();
    auto key = read_key_file(key_path);
    if (!key) {
        if (known && store.count() > 0) {
            throw std::runtime_error(
                key_path.string() + " is missing but " + store.file().string() +
                " holds tokens hashed with it; restore token.key from a backup, or move "
                "tokens.db away to start over (its tokens cannot be recovered)");
        }
        key = load_or_create_key_file(key_path);
    }
    auto hasher = std::make_unique<TokenHasher>(*key);
    const auto mine = hasher->key_fingerprint();
    if (known && *known != mine && store.count() > 0) {
        throw std::runtime_error(
            key_path.string() + " is not the key " + store.file().string() +
            " was written with; restore the original token.key, or move tokens.db away to "
            "start over (its tokens cannot be recovered)");
    }
    if (!known || *known != mine) {
        // No tokens depend on the old key: adopt this one.
        if (known) store.forget_key_fingerprint();
        if (store.remember_key_fingerprint(mine) != mine) {
            throw std::runtime_error(
                "another process bound " + store.file().string() +
                " to a different token.key at the same moment; run the command again");
        }
    }
    return hasher;
}

}  // namespace mcpproxy::agent_token
