#pragma once

#include <exception>
#include <string>

namespace mcpproxy::util {

// The message of an exception, or a plain note for one that is not a std::exception.
[[nodiscard]] std::string exception_text(const std::exception_ptr& error);

}  // namespace mcpproxy::util
