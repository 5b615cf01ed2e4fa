#include "kernel/app/doctor_command.hpp"

#include <unistd.h>

#include <nlohmann/json.hpp>
#include <ostream>

#include "kernel/app/doctor_checks.hpp"

namespace mcpproxy::app {

int doctor_command(const CliOverrides& cli, const std::string& output, std::ostream& out,
                   std::ostream& err) {
    // Progress only for a person at a terminal; JSON and logs stay quiet.
    const bool show_progress = output != "json" && ::isatty(STDERR_FILENO) != 0;
    const auto results = run_doctor_checks(cli, [&](const std::string& what) {
        if (show_progress) err << "\rchecking " << what << "...\033[K" << std::flush;
    });
    if (show_progress) err << "\r\033[K" << std::flush;
    bool failed = false;
    nlohmann::json rows = nlohmann::json::array();
    for (const auto& r : results) {
        failed = failed || r.status == CheckStatus::fail;
        nlohmann::json row{
            {"check", r.check}, {"status", to_string(r.status)}, {"detail", r.detail}};
        if (!r.fix.empty()) row["fix"] = r.fix;
        if (r.elapsed_ms >= 0) row["elapsed_ms"] = r.elapsed_ms;
        if (!r.version.empty()) row["version"] = r.version;
        if (!r.path.empty()) row["path"] = r.path;
        rows.push_back(std::move(row));
    }
    if (output == "json") {
        out << nlohmann::json{{"ok", !failed}, {"checks", rows}}.dump(
                   2, ' ', false, nlohmann::json::error_handler_t::replace)
            << "\n";
        return failed ? 1 : 0;
    }
    for (const auto& r : results) {
        const char* mark = r.status == CheckStatus::ok     ? "ok  "
                           : r.status == CheckStatus::warn ? "WARN"
                                                           : "FAIL";
        out << mark << "  " << r.check << ": " << r.detail << "\n";
        if (!r.fix.empty() && r.status != CheckStatus::ok) out << "        fix: " << r.fix << "\n";
    }
    out << (failed ? "problems found\n" : "no problems found\n");
    return failed ? 1 : 0;
}

}  // namespace mcpproxy::app
