#pragma once

#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "kernel/tools/catalog.hpp"

namespace mcpproxy::upstream {

// One server's prompt, resource or template as the upstream listed it.
struct ListedItem {
    std::string server;
    nlohmann::json item;
};

// Everything the connected upstreams offer, immutable; rebuilt whenever a list changes.
struct UpstreamSnapshot {
    std::shared_ptr<const tools::Catalog> tools;
    std::vector<ListedItem> prompts;
    std::vector<ListedItem> resources;
    std::vector<ListedItem> resource_templates;
    std::map<std::string, std::string, std::less<>> resource_server;  // uri -> server
    // The names clients see (config "tool_names"), one per prompts[i] / resource_templates[i].
    std::vector<std::string> prompt_names;
    std::vector<std::string> template_names;
    std::vector<std::string> servers;  // the upstreams whose lists are published, config order
    bool bare_names = false;
};

}  // namespace mcpproxy::upstream
