#include "kernel/activity/store_error.hpp"

namespace mcpproxy::activity {

const char* to_string(StoreErrorKind kind) {
    switch (kind) {
        case StoreErrorKind::busy:
            return "busy";
        case StoreErrorKind::full:
            return "full";
        case StoreErrorKind::read_only:
            return "read_only";
        case StoreErrorKind::io:
            return "io";
        case StoreErrorKind::corrupt:
            return "corrupt";
        case StoreErrorKind::invalid_record:
            return "invalid_record";
        case StoreErrorKind::other:
            return "other";
    }
    return "other";
}

StoreError::StoreError(StoreErrorKind kind, int backend_code, const std::string& message)
    : std::runtime_error(message), kind_(kind), backend_code_(backend_code) {}

}  // namespace mcpproxy::activity
