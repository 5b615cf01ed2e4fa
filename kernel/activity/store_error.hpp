#pragma once

#include <stdexcept>
#include <string>

namespace mcpproxy::activity {

// What went wrong in a store, independent of the backend, so the writer can decide whether to
// keep a batch and retry (the store is unavailable) or to give up on one record (it is invalid).
enum class StoreErrorKind {
    busy,            // locked by another writer; retry
    full,            // disk or size limit reached
    read_only,       // file, directory or file system not writable
    io,              // read or write failed at the OS level
    corrupt,         // the database file is damaged
    invalid_record,  // this record can never be stored (too big, constraint)
    other,
};

const char* to_string(StoreErrorKind kind);

class StoreError : public std::runtime_error {
public:
    StoreError(StoreErrorKind kind, int backend_code, const std::string& message);

    StoreErrorKind kind() const noexcept { return kind_; }
    // The backend's own error code (SQLite extended result code), for diagnostics.
    int backend_code() const noexcept { return backend_code_; }
    // True when retrying the same record cannot succeed, whatever happens to the store.
    bool record_specific() const noexcept { return kind_ == StoreErrorKind::invalid_record; }

private:
    StoreErrorKind kind_;
    int backend_code_;
};

}  // namespace mcpproxy::activity
