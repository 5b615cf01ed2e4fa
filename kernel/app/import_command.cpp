#include "kernel/app/import_command.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <optional>
#include <ostream>
#include <sstream>

#include "kernel/config/config_error.hpp"
#include "kernel/config/config_loader.hpp"
#include "kernel/importer/claude_code_reader.hpp"
#include "kernel/importer/client_sources.hpp"
#include "kernel/importer/config_merge.hpp"
#include "kernel/importer/server_list_reader.hpp"
#include "kernel/util/atomic_file.hpp"

namespace mcpproxy::app {
namespace {

namespace fs = std::filesystem;

std::string read_text(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error(path.string() + ": cannot be read");
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

// VS Code's and Cursor's files are JSON with comments.
nlohmann::json parse_json_file(const fs::path& path) {
    try {
        return nlohmann::json::parse(read_text(path), nullptr, true, true);
    } catch (const nlohmann::json::parse_error& e) {
        throw std::runtime_error(path.string() + ": not valid JSON (" + e.what() + ")");
    }
}

fs::path home_dir() {
    const char* home = std::getenv("HOME");
    return home != nullptr ? home : "";
}

fs::path resolve_source(const std::string& from) {
    const auto& clients = importer::known_clients();
    if (std::find(clients.begin(), clients.end(), from) == clients.end()) {
        if (!fs::is_regular_file(from)) {
            throw std::runtime_error("--from " + from +
                                     ": neither a file nor one of claude-desktop, claude-code, "
                                     "cursor, vscode");
        }
        return from;
    }
    std::string looked;
    for (const auto& p : importer::client_config_paths(from, home_dir(), fs::current_path())) {
        if (fs::is_regular_file(p)) return p;
        looked += (looked.empty() ? "" : ", ") + p.string();
    }
    throw std::runtime_error("no " + from + " config found (looked in " + looked +
                             "); give the file with --from PATH");
}

std::string servers_word(std::size_t n) {
    return std::to_string(n) + (n == 1 ? " server" : " servers");
}

// Claude Code spreads its servers over ~/.claude.json (user scope and each project's local scope)
// and the projects' .mcp.json files: all of them are read.
importer::ServerList read_claude_code_scopes() {
    const fs::path user_file = home_dir() / ".claude.json";
    const fs::path cwd = fs::current_path();
    std::optional<nlohmann::json> user;
    if (fs::is_regular_file(user_file)) user = parse_json_file(user_file);
    if (!user && !fs::is_regular_file(cwd / ".mcp.json")) {
        throw std::runtime_error("no claude-code config found (looked in " + user_file.string() +
                                 ", " + (cwd / ".mcp.json").string() +
                                 "); give the file with --from PATH");
    }
    return importer::read_claude_code(user, user_file, cwd);
}

importer::ServerList read_source(const std::string& from) {
    if (from == "claude-code") return read_claude_code_scopes();
    const fs::path source = resolve_source(from);
    const auto document = parse_json_file(source);
    if (importer::is_claude_code_user_file(document)) {
        return importer::read_claude_code(document, source, std::nullopt);
    }
    auto list = importer::read_server_list(document);
    list.sources.push_back(source.string() + ": " +
                           servers_word(list.servers.size() + list.skipped.size()) + " (" +
                           list.format + ")");
    return list;
}

// An existing config keeps its owner, group and group-read bit (a service may read it through
// its group); it never stays readable by others.
void write_config(const fs::path& path, const std::string& text) {
    struct stat before {};
    const bool existed = ::stat(path.c_str(), &before) == 0;
    const unsigned mode = existed ? ((before.st_mode & 0640) | 0600) : 0600;
    if (!path.parent_path().empty()) fs::create_directories(path.parent_path());
    util::write_file_atomically(path, text, mode);
    if (existed && ::geteuid() == 0 && (before.st_uid != 0 || before.st_gid != 0)) {
        if (::chown(path.c_str(), before.st_uid, before.st_gid) != 0) {
            throw std::runtime_error(path.string() + ": cannot restore its owner");
        }
    }
}

}  // namespace

int import_command(const ImportOptions& options, std::ostream& out, std::ostream& err) {
    const fs::path target = options.config_file.empty()
                                ? fs::path(config::default_data_dir()) / "mcp_config.json"
                                : fs::path(options.config_file);
    const auto list = read_source(options.from);
    // What was read and what came of it, one line each: readable on a terminal and in a log.
    for (const auto& source : list.sources) out << "read " << source << "\n";
    out << "converted " << servers_word(list.servers.size()) << ", skipped " << list.skipped.size()
        << "; merging into " << target.string() << "\n";
    nlohmann::json current = nlohmann::json::object();
    if (fs::exists(target)) {
        current = parse_json_file(target);
        if (read_text(target).find("//") != std::string::npos && !options.dry_run) {
            err << "warning: comments in " << target.string()
                << " are not kept when it is rewritten\n";
        }
    }
    const auto plan = importer::merge_servers(current, list, options.approve);

    out << plan.diff;
    for (const auto& s : list.servers) {
        for (const auto& note : s.notes) out << "    " << s.name << ": " << note << "\n";
    }
    for (const auto& skipped : list.skipped) out << "  - skipped " << skipped << "\n";
    out << plan.added.size() << " to add, " << plan.unchanged.size() << " already there, "
        << plan.conflicts.size() << " in conflict, " << list.skipped.size() << " skipped\n";
    if (!plan.secret_holders.empty()) {
        err << "warning: the config will hold the secrets these servers had in their env/headers "
               "(written mode 0600):";
        for (const auto& h : plan.secret_holders) err << " " << h << ";";
        err << "\n";
    }
    // Never write a config the proxy would refuse.
    try {
        (void)config::parse_config(plan.document, target.string());
    } catch (const std::exception& e) {
        err << "mcpproxy: the merged config would not load, nothing written: " << e.what() << "\n";
        return 1;
    }
    if (options.dry_run) {
        out << "dry run: nothing written\n";
        return plan.conflicts.empty() ? 0 : 1;
    }
    if (plan.added.empty()) {
        out << "nothing to write\n";
        return plan.conflicts.empty() ? 0 : 1;
    }
    write_config(target, plan.document.dump(2) + "\n");
    out << "wrote " << target.string() << "\n";
    if (!options.approve) {
        out << "the new servers are quarantined: their tools cannot be called until you approve "
               "them: set \"quarantined\": false in the config (the web UI's approval lasts until "
               "a restart)\n";
    }
    out << "a running mcpproxy picks them up on `systemctl reload mcpproxy` (SIGHUP)\n";
    return plan.conflicts.empty() ? 0 : 1;
}

}  // namespace mcpproxy::app
