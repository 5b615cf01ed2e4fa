#include "kernel/app/plugin_cli.hpp"

#include <iostream>
#include <map>
#include <sstream>

namespace mcpproxy::app {
namespace {

std::vector<std::string> split_words(const std::string& path) {
    std::istringstream in(path);
    std::vector<std::string> words;
    for (std::string w; in >> w;) words.push_back(w);
    return words;
}

// "-o,--output" -> "output"; "--servers" -> "servers".
std::string long_name(const std::string& spec) {
    const auto comma = spec.rfind(',');
    std::string name = comma == std::string::npos ? spec : spec.substr(comma + 1);
    while (name.starts_with("-")) name.erase(0, 1);
    return name;
}

class Context final : public sdk::CommandContext {
public:
    std::map<std::string, std::string, std::less<>> options;
    std::map<std::string, bool, std::less<>> flags;
    std::map<std::string, std::string, std::less<>> positionals;

    [[nodiscard]] std::optional<std::string> option(std::string_view name) const override {
        const auto it = options.find(name);
        if (it == options.end() || it->second.empty()) return std::nullopt;
        return it->second;
    }
    [[nodiscard]] bool flag(std::string_view name) const override {
        const auto it = flags.find(name);
        return it != flags.end() && it->second;
    }
    [[nodiscard]] std::optional<std::string> positional(std::string_view name) const override {
        const auto it = positionals.find(name);
        if (it == positionals.end() || it->second.empty()) return std::nullopt;
        return it->second;
    }
    [[nodiscard]] std::ostream& out() const override { return std::cout; }
    [[nodiscard]] std::ostream& err() const override { return std::cerr; }
};

}  // namespace

struct PluginCli::Bound {
    sdk::CommandSpec spec;
    CLI::App* command = nullptr;
    Context context;
};

void PluginCli::add(CLI::App& app, const sdk::CommandSpec& spec) {
    auto bound = std::make_shared<Bound>();
    bound->spec = spec;
    CLI::App* parent = &app;
    const auto words = split_words(spec.path);
    for (std::size_t i = 0; i < words.size(); ++i) {
        CLI::App* existing = nullptr;
        for (auto* sub : parent->get_subcommands([](CLI::App*) { return true; })) {
            if (sub->get_name() == words[i]) existing = sub;
        }
        if (existing == nullptr) {
            existing = parent->add_subcommand(words[i], i + 1 == words.size() ? spec.help : "");
            if (i + 1 < words.size()) existing->require_subcommand(1);
        }
        parent = existing;
    }
    parent->description(spec.help);
    bound->command = parent;
    for (const auto& opt : spec.options) {
        const auto name = long_name(opt.name);
        if (opt.is_flag) {
            parent->add_flag(opt.name, bound->context.flags[name], opt.help);
        } else {
            auto* o = parent->add_option(opt.name, bound->context.options[name], opt.help);
            if (opt.required) o->required();
            if (!opt.default_value.empty()) {
                bound->context.options[name] = opt.default_value;
                o->capture_default_str();
            }
        }
    }
    for (const auto& pos : spec.positionals) {
        auto* o = parent->add_option(pos.name, bound->context.positionals[pos.name], pos.help);
        if (pos.required) o->required();
    }
    bound_.push_back(std::move(bound));
}

std::optional<int> PluginCli::run_selected() {
    for (const auto& b : bound_) {
        if (b->command->parsed()) {
            try {
                return b->spec.run(b->context);
            } catch (const std::exception& e) {
                std::cerr << "error: " << e.what() << "\n";
                return 1;
            }
        }
    }
    return std::nullopt;
}

}  // namespace mcpproxy::app
