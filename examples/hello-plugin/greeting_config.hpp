#pragma once

#include <string>
#include <string_view>

namespace hello_plugin {

struct HelloConfig {
    std::string greeting = "hello";
};

// Reads the plugin's config block, {"greeting": "..."}, from the JSON text the host hands over.
// Throws std::runtime_error naming the key on anything else: the host reports it at start-up.
HelloConfig parse_hello_config(std::string_view json);

}  // namespace hello_plugin
