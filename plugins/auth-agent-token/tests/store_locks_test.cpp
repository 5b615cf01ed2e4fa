// Opening the store must never drop the SQLite locks that other connections of this process hold
// on tokens.db. Closing any descriptor of a file releases every POSIX lock the process has on it;
// if that happens, another process (the CLI) that closes its connection believes it is the last
// one, checkpoints and deletes the -wal and -shm files under the running proxy, whose live view
// then silently stops seeing changes (a revoked token keeps working) and whose later writes fail
// with "disk I/O error". The token REST route opens a store per request inside the proxy, next to
// the refresher's long-lived connection, so this is not hypothetical.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include "temp_dir.hpp"
#include "token_store.hpp"

using namespace mcpproxy::agent_token;
using agt_test::TempDir;
using namespace std::chrono_literals;

namespace {

// A descriptor for asking whether any POSIX lock is held on a file. Open-file-description lock
// queries see this process's own POSIX locks too, and take none. The descriptor is closed only
// after every store is gone, because closing it would itself drop the locks under test.
class LockProbe {
public:
    explicit LockProbe(const std::filesystem::path& file)
        : fd_(::open(file.c_str(), O_RDONLY | O_CLOEXEC)) {}
    ~LockProbe() {
        if (fd_ >= 0) ::close(fd_);
    }
    LockProbe(const LockProbe&) = delete;
    LockProbe& operator=(const LockProbe&) = delete;

    [[nodiscard]] bool locked() const {
        struct flock probe {};
        probe.l_type = F_WRLCK;
        probe.l_whence = SEEK_SET;
        probe.l_start = 0;
        probe.l_len = 0;  // the whole file
        return fd_ >= 0 && ::fcntl(fd_, F_OFD_GETLK, &probe) == 0 && probe.l_type != F_UNLCK;
    }

private:
    int fd_;
};

}  // namespace

TEST(StoreLocks, OpeningAnotherStoreKeepsTheLocksOfAnOpenOne) {
    TempDir dir;
    { TokenStore create(dir.path(), 2s); }
    const LockProbe probe(dir.path() / kStoreFileName);  // outlives the stores below

    TokenStore refresher(dir.path(), 2s);  // the proxy's long-lived connection
    (void)refresher.data_version();
    ASSERT_TRUE(probe.locked()) << "precondition: an open WAL connection holds a lock on tokens.db";

    for (int i = 0; i < 3; ++i) {
        TokenStore per_request(dir.path(), 2s);  // what each REST call opens and closes
        (void)per_request.list();
    }
    EXPECT_TRUE(probe.locked())
        << "opening and closing a second store dropped the first one's locks";
    EXPECT_NO_THROW((void)refresher.list());
}
