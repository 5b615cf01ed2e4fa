// Store faults against the real binary (issue 9): the data dir's file system fills up, or turns
// read-only, while agents call tools. Calls and token authentication go on, /readyz reports the
// activity store as degraded (naming its file), the log says so once, no committed record is
// lost, and once space returns the queued records are written and the degradation clears.
//
// Both need root and mount(2): the data dir is a small tmpfs (disk full) or an ext4 loop image
// mounted errors=remount-ro whose error switch turns it read-only under the open files (a plain
// `mount -o remount,ro` is refused while files are open for writing, and root ignores chmod).
// Without those privileges the tests skip.
#include <gtest/gtest.h>
#include <sys/mount.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <set>
#include <thread>

#include "tests/integration/auth/auth_harness.hpp"

namespace mcpproxy::test::auth {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;
namespace http = boost::beast::http;

constexpr const char* kWriteFailure = "activity log cannot write to its store";

int run(const std::string& command) {
    return std::system((command + " >/dev/null 2>&1").c_str());
}

// A file system mounted over a directory for one test; lazily unmounted (the proxy may still
// hold files open when a test fails) on destruction.
class Mount {
public:
    Mount() = default;
    Mount(const Mount&) = delete;
    Mount& operator=(const Mount&) = delete;
    ~Mount() {
        if (!target_.empty()) ::umount2(target_.c_str(), MNT_DETACH);
        if (!loop_image_.empty()) fs::remove(loop_image_);
    }

    bool tmpfs(const fs::path& target, const std::string& size) {
        if (::mount("tmpfs", target.c_str(), "tmpfs", 0, ("size=" + size).c_str()) != 0) {
            return false;
        }
        target_ = target;
        return true;
    }

    bool ext4(const fs::path& target, const fs::path& image, const std::string& size) {
        loop_image_ = image;
        if (run("truncate -s " + size + " " + image.string()) != 0 ||
            run("mkfs.ext4 -q -F " + image.string()) != 0) {
            return false;
        }
        return mount_image(target);
    }

    // Mounts the existing ext4 image (again).
    bool mount_image(const fs::path& target) {
        if (run("mount -o loop,errors=remount-ro " + loop_image_.string() + " " +
                target.string()) != 0) {
            return false;
        }
        target_ = target;
        return true;
    }

    // Declares an ext4 error on the file system under target_; errors=remount-ro turns it
    // read-only at once, open files included.
    bool trigger_ext4_error() const {
        std::ifstream mounts("/proc/mounts");
        for (std::string dev, dir, rest; mounts >> dev >> dir && std::getline(mounts, rest);) {
            if (dir != target_.string() || !dev.starts_with("/dev/")) continue;
            std::ofstream trigger("/sys/fs/ext4/" + dev.substr(5) + "/trigger_fs_error");
            trigger << "mcpproxy store fault test\n";
            trigger.flush();
            return static_cast<bool>(trigger);
        }
        return false;
    }

    // Waits (up to 10 s) for the last process holding files there to let go: a sanitized proxy
    // and the children it reaps can take a while. On failure the mount stays known, so the
    // destructor still detaches it.
    bool unmount() {
        if (target_.empty()) return true;
        for (int i = 0; i < 200; ++i) {
            if (::umount2(target_.c_str(), 0) == 0) {
                target_.clear();
                return true;
            }
            if (errno != EBUSY) return false;
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        return false;
    }

private:
    fs::path target_;
    fs::path loop_image_;
};

// Writes zeros into `file` until the file system refuses; returns the bytes written.
std::size_t fill_disk(const fs::path& file) {
    std::FILE* f = std::fopen(file.c_str(), "wb");
    if (f == nullptr) return 0;
    const std::string block(64 * 1024, '\0');
    std::size_t total = 0;
    for (;;) {
        const auto n = std::fwrite(block.data(), 1, block.size(), f);
        total += n;
        if (n < block.size() || std::fflush(f) != 0) break;
    }
    std::fclose(f);
    return total;
}

Json readyz(unsigned short port) {
    const auto r = http_request(port, http::verb::get, "/readyz");
    return Json::parse(r.body(), nullptr, false);
}

std::string degraded_detail(const Json& readyz_body, const std::string& component) {
    if (!readyz_body.is_object() || !readyz_body.contains("degraded")) return {};
    for (const auto& d : readyz_body["degraded"]) {
        if (d.value("component", "") == component) return d.value("detail", "");
    }
    return {};
}

std::size_t count_of(const std::string& text, const std::string& what) {
    std::size_t n = 0;
    for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
    return n;
}

// One tools/call on the session; returns its request id, or "" when the call was not served.
std::string call(const McpSession& session, int i) {
    const auto r = session.call_tool(
        "alpha__echo", {{"text", "call " + std::to_string(i) + " " + std::string(2000, 'x')}});
    if (r.result_int() != 200 || rpc_body(r).contains("error")) return {};
    return std::string(r["X-Request-Id"]);
}

std::set<std::string> logged_ids(const AuthProxy& proxy) {
    std::set<std::string> ids;
    for (const auto& r :
         export_activity(proxy, {"--agent", "fault-agent", "--method", "tools/call"}))
        ids.insert(r.value("request_id", ""));
    return ids;
}

int missing_from(const std::set<std::string>& logged, const std::vector<std::string>& ids) {
    int missing = 0;
    for (const auto& id : ids) missing += logged.contains(id) ? 0 : 1;
    return missing;
}

// Calls until /readyz shows the activity store degraded (or the limit passes); every call must be
// served. Returns the detail shown.
std::string call_until_degraded(const McpSession& session, unsigned short port,
                                std::vector<std::string>& ids, int& failed_calls) {
    const auto until = std::chrono::steady_clock::now() + 30s;
    for (int i = 0; std::chrono::steady_clock::now() < until; ++i) {
        const auto id = call(session, i);
        if (id.empty()) {
            ++failed_calls;
        } else {
            ids.push_back(id);
        }
        if (i % 10 == 9) {
            const auto detail = degraded_detail(readyz(port), "activity");
            if (!detail.empty()) return detail;
        }
    }
    return {};
}

class StoreFaultsTest : public ::testing::Test {
protected:
    void SetUp() override {
        if (::geteuid() != 0) GTEST_SKIP() << "needs root to mount a file system for the data dir";
    }
};

TEST_F(StoreFaultsTest, DiskFullKeepsServingReportsOnceAndCatchesUpWhenSpaceReturns) {
    AuthProxy proxy;
    Mount mount;
    if (!mount.tmpfs(proxy.data_dir(), "8m")) GTEST_SKIP() << "cannot mount a tmpfs (mount(2))";
    const auto token = proxy.create_token("fault-agent");
    proxy.start();
    McpSession session(proxy.port(), bearer(token));
    ASSERT_EQ(session.initialize().result_int(), 200);

    std::vector<std::string> before;
    for (int i = 0; i < 10; ++i) before.push_back(call(session, i));
    std::this_thread::sleep_for(700ms);  // the writer's 200 ms flush interval, with margin
    EXPECT_EQ(missing_from(logged_ids(proxy), before), 0);

    const fs::path filler = fs::path(proxy.data_dir()) / "filler";
    ASSERT_GT(fill_disk(filler), 0U);
    std::vector<std::string> during;
    int failed_calls = 0;
    const auto detail = call_until_degraded(session, proxy.port(), during, failed_calls);
    std::printf("[ store    ] disk full: degraded after %zu calls: %s\n", during.size(),
                detail.c_str());
    ASSERT_FALSE(detail.empty()) << proxy.log();
    EXPECT_NE(detail.find("activity.db"), std::string::npos) << detail;
    EXPECT_NE(detail.find("full"), std::string::npos) << detail;
    EXPECT_TRUE(readyz(proxy.port()).value("ready", false)) << "degraded, not unready";
    // Serving and token authentication go on while the store stays full (retries back off).
    for (int i = 0; i < 40; ++i) {
        const auto id = call(session, 1000 + i);
        if (id.empty()) {
            ++failed_calls;
        } else {
            during.push_back(id);
        }
        std::this_thread::sleep_for(50ms);
    }
    EXPECT_EQ(failed_calls, 0);
    McpSession second(proxy.port(), bearer(token));
    EXPECT_EQ(second.initialize().result_int(), 200) << "a new session authenticates";
    EXPECT_EQ(count_of(proxy.log(), kWriteFailure), 1U) << proxy.log();

    fs::remove(filler);
    const auto until = std::chrono::steady_clock::now() + 15s;
    while (!degraded_detail(readyz(proxy.port()), "activity").empty() &&
           std::chrono::steady_clock::now() < until) {
        std::this_thread::sleep_for(100ms);
    }
    EXPECT_TRUE(degraded_detail(readyz(proxy.port()), "activity").empty()) << proxy.log();
    EXPECT_NE(proxy.log().find("writable again"), std::string::npos) << proxy.log();

    std::vector<std::string> after;
    for (int i = 0; i < 5; ++i) after.push_back(call(session, 2000 + i));
    EXPECT_EQ(proxy.process().stop(), 0) << proxy.log();
    const auto logged = logged_ids(proxy);
    EXPECT_EQ(missing_from(logged, before), 0) << "committed before the fault";
    EXPECT_EQ(missing_from(logged, during), 0) << "queued during the fault";
    EXPECT_EQ(missing_from(logged, after), 0) << "after recovery";
    EXPECT_LE(count_of(proxy.log(), "cannot record token last-used times"), 1U) << proxy.log();
}

TEST_F(StoreFaultsTest, ReadOnlyFileSystemKeepsServingAndLosesNoCommittedRecord) {
    AuthProxy proxy;
    Mount mount;
    const fs::path image = proxy.work_dir() / "data.ext4";
    if (!mount.ext4(proxy.data_dir(), image, "16M")) {
        GTEST_SKIP() << "cannot mount an ext4 loop image (no loop device or mkfs.ext4)";
    }
    const auto token = proxy.create_token("fault-agent");
    proxy.start();
    McpSession session(proxy.port(), bearer(token));
    ASSERT_EQ(session.initialize().result_int(), 200);

    std::vector<std::string> before;
    for (int i = 0; i < 10; ++i) before.push_back(call(session, i));
    std::this_thread::sleep_for(700ms);
    EXPECT_EQ(missing_from(logged_ids(proxy), before), 0);

    // An ext4 error drops the page cache's unwritten pages like a power cut would. The activity
    // log commits with synchronous=FULL (the WAL is synced at every commit), so no sync() here:
    // what committed before the error must still be there after it.
    if (!mount.trigger_ext4_error()) GTEST_SKIP() << "this kernel has no ext4 trigger_fs_error";
    std::vector<std::string> during;
    int failed_calls = 0;
    const auto detail = call_until_degraded(session, proxy.port(), during, failed_calls);
    std::printf("[ store    ] read-only: degraded after %zu calls: %s\n", during.size(),
                detail.c_str());
    ASSERT_FALSE(detail.empty()) << proxy.log();
    EXPECT_NE(detail.find("activity.db"), std::string::npos) << detail;
    for (int i = 0; i < 40; ++i) {
        const auto id = call(session, 1000 + i);
        if (id.empty()) ++failed_calls;
        std::this_thread::sleep_for(50ms);
    }
    EXPECT_EQ(failed_calls, 0);
    McpSession second(proxy.port(), bearer(token));
    EXPECT_EQ(second.initialize().result_int(), 200) << "a new session authenticates";
    EXPECT_EQ(count_of(proxy.log(), kWriteFailure), 1U) << proxy.log();

    // An ext4 error is cleared only by unmounting: stop, remount, and every record committed
    // before the fault is still there.
    proxy.process().stop();
    ASSERT_TRUE(mount.unmount()) << "the data dir is still busy: " << std::strerror(errno);
    ASSERT_TRUE(mount.mount_image(proxy.data_dir()));
    EXPECT_EQ(missing_from(logged_ids(proxy), before), 0) << proxy.log();
}

}  // namespace
}  // namespace mcpproxy::test::auth
