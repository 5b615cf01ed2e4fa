#pragma once

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "fakes.hpp"

namespace agt_test {

struct CommandRun {
    int exit_code = -1;
    std::string out;
    std::string err;
};

// Runs a registered command the way the kernel's CLI would, e.g.
// run(host, "token create", {{"name", "ci"}, {"output", "json"}}).
inline CommandRun run(const FakeHost& host, std::string_view path,
                      std::map<std::string, std::string, std::less<>> options = {},
                      std::map<std::string, std::string, std::less<>> positionals = {}) {
    const auto* spec = host.command(path);
    if (spec == nullptr) {
        ADD_FAILURE() << "no command " << path;
        return {};
    }
    FakeCommandContext ctx;
    // Defaults apply as the kernel's parser would apply them.
    for (const auto& o : spec->options) {
        std::string name = o.name.substr(o.name.rfind("--") + 2);
        if (!o.default_value.empty() && !options.contains(name)) options[name] = o.default_value;
    }
    ctx.options = std::move(options);
    ctx.positionals = std::move(positionals);
    CommandRun r;
    r.exit_code = spec->run(ctx);
    r.out = ctx.out_stream.str();
    r.err = ctx.err_stream.str();
    return r;
}

// `token create ... -o json` and the secret it printed.
inline std::string create_token(const FakeHost& host, const std::string& name,
                                std::map<std::string, std::string, std::less<>> options = {}) {
    options["name"] = name;
    options["output"] = "json";
    const auto r = run(host, "token create", std::move(options));
    EXPECT_EQ(r.exit_code, 0) << r.err;
    if (r.exit_code != 0) return {};
    return nlohmann::json::parse(r.out).at("token").get<std::string>();
}

}  // namespace agt_test
