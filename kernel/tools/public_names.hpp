#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "tools/catalog.hpp"

namespace mcpproxy::tools {

// One named thing an upstream offers (a prompt, a resource template).
struct NamedItem {
    std::string_view server;
    std::string_view name;
};

// The names clients see for items gathered from many servers, in the same order: with prefixed
// naming "<server>__<name>" for every item; with bare naming the item's own name, and
// "<server>__<name>" only for a name that more than one server uses.
std::vector<std::string> public_names(const std::vector<NamedItem>& items, DirectNames naming);

// The names more than one server uses, sorted, each once.
std::vector<std::string> shared_names(const std::vector<NamedItem>& items);

}  // namespace mcpproxy::tools
