#include "fault_vfs.hpp"

#include <sqlite3.h>

#include <atomic>
#include <mutex>
#include <stdexcept>

namespace mcpproxy::activity::test {
namespace {

std::atomic<int> g_write_error{SQLITE_OK};
sqlite3_vfs* g_base = nullptr;
sqlite3_vfs g_vfs;

// The wrapped file lives right after this header in the memory SQLite gives us.
struct FaultFile {
    sqlite3_file base;
    sqlite3_file* real;
};

sqlite3_file* real(sqlite3_file* file) {
    return reinterpret_cast<FaultFile*>(file)->real;
}
const sqlite3_io_methods* methods(sqlite3_file* file) {
    return real(file)->pMethods;
}

int fault_close(sqlite3_file* f) {
    return methods(f)->xClose(real(f));
}
int fault_read(sqlite3_file* f, void* buffer, int amount, sqlite3_int64 offset) {
    return methods(f)->xRead(real(f), buffer, amount, offset);
}
int fault_write(sqlite3_file* f, const void* buffer, int amount, sqlite3_int64 offset) {
    if (const int error = g_write_error.load(); error != SQLITE_OK) return error;
    return methods(f)->xWrite(real(f), buffer, amount, offset);
}
int fault_truncate(sqlite3_file* f, sqlite3_int64 size) {
    if (const int error = g_write_error.load(); error != SQLITE_OK) return error;
    return methods(f)->xTruncate(real(f), size);
}
int fault_sync(sqlite3_file* f, int flags) {
    return methods(f)->xSync(real(f), flags);
}
int fault_file_size(sqlite3_file* f, sqlite3_int64* size) {
    return methods(f)->xFileSize(real(f), size);
}
int fault_lock(sqlite3_file* f, int level) {
    return methods(f)->xLock(real(f), level);
}
int fault_unlock(sqlite3_file* f, int level) {
    return methods(f)->xUnlock(real(f), level);
}
int fault_check_reserved_lock(sqlite3_file* f, int* out) {
    return methods(f)->xCheckReservedLock(real(f), out);
}
int fault_file_control(sqlite3_file* f, int op, void* arg) {
    return methods(f)->xFileControl(real(f), op, arg);
}
int fault_sector_size(sqlite3_file* f) {
    return methods(f)->xSectorSize(real(f));
}
int fault_device_characteristics(sqlite3_file* f) {
    return methods(f)->xDeviceCharacteristics(real(f));
}
int fault_shm_map(sqlite3_file* f, int page, int page_size, int extend, void volatile** out) {
    return methods(f)->xShmMap(real(f), page, page_size, extend, out);
}
int fault_shm_lock(sqlite3_file* f, int offset, int n, int flags) {
    return methods(f)->xShmLock(real(f), offset, n, flags);
}
void fault_shm_barrier(sqlite3_file* f) {
    methods(f)->xShmBarrier(real(f));
}
int fault_shm_unmap(sqlite3_file* f, int delete_flag) {
    return methods(f)->xShmUnmap(real(f), delete_flag);
}
int fault_fetch(sqlite3_file* f, sqlite3_int64 offset, int amount, void** out) {
    return methods(f)->xFetch(real(f), offset, amount, out);
}
int fault_unfetch(sqlite3_file* f, sqlite3_int64 offset, void* page) {
    return methods(f)->xUnfetch(real(f), offset, page);
}

const sqlite3_io_methods kFaultMethods = {
    3,
    fault_close,
    fault_read,
    fault_write,
    fault_truncate,
    fault_sync,
    fault_file_size,
    fault_lock,
    fault_unlock,
    fault_check_reserved_lock,
    fault_file_control,
    fault_sector_size,
    fault_device_characteristics,
    fault_shm_map,
    fault_shm_lock,
    fault_shm_barrier,
    fault_shm_unmap,
    fault_fetch,
    fault_unfetch,
};

int fault_open(sqlite3_vfs*, sqlite3_filename name, sqlite3_file* file, int flags, int* out_flags) {
    auto* wrapper = reinterpret_cast<FaultFile*>(file);
    wrapper->real = reinterpret_cast<sqlite3_file*>(wrapper + 1);
    const int rc = g_base->xOpen(g_base, name, wrapper->real, flags, out_flags);
    file->pMethods = wrapper->real->pMethods != nullptr ? &kFaultMethods : nullptr;
    return rc;
}
int fault_delete(sqlite3_vfs*, const char* name, int sync_dir) {
    return g_base->xDelete(g_base, name, sync_dir);
}
int fault_access(sqlite3_vfs*, const char* name, int flags, int* out) {
    return g_base->xAccess(g_base, name, flags, out);
}
int fault_full_pathname(sqlite3_vfs*, const char* name, int size, char* out) {
    return g_base->xFullPathname(g_base, name, size, out);
}

}  // namespace

void FaultVfs::install() {
    static std::once_flag once;
    std::call_once(once, [] {
        g_base = sqlite3_vfs_find(nullptr);
        if (g_base == nullptr) throw std::runtime_error("no default SQLite VFS");
        g_vfs = *g_base;
        g_vfs.zName = kName;
        g_vfs.szOsFile = static_cast<int>(sizeof(FaultFile)) + g_base->szOsFile;
        g_vfs.pNext = nullptr;
        g_vfs.xOpen = fault_open;
        g_vfs.xDelete = fault_delete;
        g_vfs.xAccess = fault_access;
        g_vfs.xFullPathname = fault_full_pathname;
        if (sqlite3_vfs_register(&g_vfs, 0) != SQLITE_OK) {
            throw std::runtime_error("cannot register the fault VFS");
        }
    });
}

void FaultVfs::fail_writes_with(int sqlite_code) {
    g_write_error.store(sqlite_code);
}

void FaultVfs::heal() {
    g_write_error.store(SQLITE_OK);
}

}  // namespace mcpproxy::activity::test
