#pragma once

#include <filesystem>
#include <memory>

#include "token_hasher.hpp"
#include "token_store.hpp"

namespace mcpproxy::agent_token {

// The hasher for the key in <data_dir>/token.key that belongs to store. Creates the key on first
// use. Refuses, with what to do, a key that is missing or different while the store already holds
// tokens hashed under another key (every token would silently stop working otherwise).
[[nodiscard]] std::unique_ptr<TokenHasher> open_store_key(const std::filesystem::path& data_dir,
                                                          TokenStore& store);

}  // namespace mcpproxy::agent_token
