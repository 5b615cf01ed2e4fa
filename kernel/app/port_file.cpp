#include "kernel/app/port_file.hpp"

#include <nlohmann/json.hpp>

#include "kernel/util/atomic_file.hpp"

namespace mcpproxy::app {

void write_port_file(const std::string& path, const std::map<std::string, std::string>& listeners) {
    nlohmann::json doc;
    doc["listeners"] = listeners;
    util::write_file_atomically(path, doc.dump() + "\n", 0644);
}

}  // namespace mcpproxy::app
