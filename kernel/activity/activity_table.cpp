#include "kernel/activity/activity_table.hpp"

#include <array>
#include <cstdio>
#include <vector>

#include "kernel/activity/activity_time.hpp"

namespace mcpproxy::activity {
namespace {

constexpr std::size_t kColumns = 9;
constexpr std::size_t kMaxWidth = 40;
constexpr std::array<const char*, kColumns> kHeaders = {"TIME",     "REQUEST ID", "IDENTITY",
                                                        "CLIENT",   "SERVER",     "TOOL",
                                                        "DECISION", "STATUS",     "LATENCY MS"};
constexpr std::array<bool, kColumns> kRightAligned = {false, false, false, false, false,
                                                      false, false, true,  true};

using Row = std::array<std::string, kColumns>;

bool is_continuation_byte(unsigned char c) {
    return (c & 0xC0) == 0x80;
}

std::size_t code_points(std::string_view text) {
    std::size_t count = 0;
    for (const char c : text) count += is_continuation_byte(static_cast<unsigned char>(c)) ? 0 : 1;
    return count;
}

std::string or_dash(std::string_view value) {
    return value.empty() ? std::string("-") : table_cell(value, kMaxWidth);
}

Row to_row(const ActivityRecord& r) {
    std::string decision = r.decision;
    if (!r.reason.empty()) decision += " (" + r.reason + ")";
    std::string status = std::to_string(r.http_status);
    if (r.jsonrpc_error) status += "/" + std::to_string(*r.jsonrpc_error);
    char latency[32];
    std::snprintf(latency, sizeof latency, "%.1f", static_cast<double>(r.latency.count()) / 1000.0);
    return Row{format_rfc3339(r.time, 3),
               or_dash(r.request_id),
               or_dash(r.identity_name),
               or_dash(r.client_address),
               or_dash(r.server),
               or_dash(r.tool),
               or_dash(decision),
               status,
               latency};
}

void write_row(const Row& row, const std::array<std::size_t, kColumns>& widths, std::ostream& out) {
    std::string line;
    for (std::size_t i = 0; i < kColumns; ++i) {
        const std::size_t padding = widths[i] - code_points(row[i]);
        if (i > 0) line += "  ";
        if (kRightAligned[i]) line.append(padding, ' ');
        line += row[i];
        if (!kRightAligned[i]) line.append(padding, ' ');
    }
    line.erase(line.find_last_not_of(' ') + 1);
    out << line << '\n';
}

}  // namespace

std::string table_cell(std::string_view value, std::size_t max_width) {
    std::string cell;
    if (max_width == 0) return cell;
    cell.reserve(value.size());
    std::size_t width = 0;
    for (std::size_t i = 0; i < value.size(); ++i) {
        const auto c = static_cast<unsigned char>(value[i]);
        if (is_continuation_byte(c)) {
            cell += value[i];
            continue;
        }
        if (width == max_width - 1 && code_points(value.substr(i)) > 1) {
            cell += "\u2026";
            return cell;
        }
        ++width;
        const bool c0 = c < 0x20 || c == 0x7F;
        // U+0080..U+009F (C2 80..C2 9F) include CSI, which some terminals obey.
        const bool c1 = c == 0xC2 && i + 1 < value.size() &&
                        static_cast<unsigned char>(value[i + 1]) <= 0x9F &&
                        is_continuation_byte(static_cast<unsigned char>(value[i + 1]));
        if (c0 || c1) {
            cell += '?';
            if (c1) ++i;
        } else {
            cell += value[i];
        }
    }
    return cell;
}

void write_table(std::span<const ActivityRecord> records, std::ostream& out) {
    std::vector<Row> rows;
    rows.reserve(records.size());
    for (const ActivityRecord& record : records) rows.push_back(to_row(record));
    std::array<std::size_t, kColumns> widths{};
    for (std::size_t i = 0; i < kColumns; ++i) widths[i] = code_points(kHeaders[i]);
    for (const Row& row : rows) {
        for (std::size_t i = 0; i < kColumns; ++i) {
            widths[i] = std::max(widths[i], code_points(row[i]));
        }
    }
    Row header;
    for (std::size_t i = 0; i < kColumns; ++i) header[i] = kHeaders[i];
    write_row(header, widths, out);
    for (const Row& row : rows) write_row(row, widths, out);
}

}  // namespace mcpproxy::activity
