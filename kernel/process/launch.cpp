#include "kernel/process/launch.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/stat.h>

#include <cerrno>
#include <csignal>
#include <stdexcept>
#include <string>
#include <system_error>
#include <vector>

#include "kernel/process/child_environment.hpp"
#include "kernel/process/orphan_guard.hpp"
#include "kernel/process/program_lookup.hpp"

namespace mcpproxy::process {
namespace {

[[noreturn]] void throw_errno(int error, const std::string& what) {
    throw std::system_error(error, std::generic_category(), what);
}

// Keeps every descriptor we hand to dup2 above 2, so that one stream's dup2 never overwrites the
// source of another when this process runs with some of 0..2 closed.
UniqueFd above_stdio(UniqueFd fd, const std::string& program) {
    if (fd.get() > 2) return fd;
    UniqueFd moved(::fcntl(fd.get(), F_DUPFD_CLOEXEC, 3));
    if (!moved.valid()) throw_errno(errno, "cannot start " + program + ": fcntl");
    return moved;
}

struct Pipe {
    UniqueFd read;
    UniqueFd write;
};

Pipe make_pipe(const std::string& program) {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) throw_errno(errno, "cannot start " + program + ": pipe");
    Pipe result{UniqueFd(fds[0]), UniqueFd(fds[1])};
    result.read = above_stdio(std::move(result.read), program);
    result.write = above_stdio(std::move(result.write), program);
    return result;
}

UniqueFd open_null(const std::string& program) {
    UniqueFd fd(::open("/dev/null", O_RDWR | O_CLOEXEC));
    if (!fd.valid()) throw_errno(errno, "cannot start " + program + ": /dev/null");
    return above_stdio(std::move(fd), program);
}

class FileActions {
public:
    FileActions() { ::posix_spawn_file_actions_init(&actions_); }
    ~FileActions() { ::posix_spawn_file_actions_destroy(&actions_); }
    FileActions(const FileActions&) = delete;
    FileActions& operator=(const FileActions&) = delete;
    posix_spawn_file_actions_t* get() { return &actions_; }

private:
    posix_spawn_file_actions_t actions_{};
};

class Attributes {
public:
    Attributes() { ::posix_spawnattr_init(&attr_); }
    ~Attributes() { ::posix_spawnattr_destroy(&attr_); }
    Attributes(const Attributes&) = delete;
    Attributes& operator=(const Attributes&) = delete;
    posix_spawnattr_t* get() { return &attr_; }

private:
    posix_spawnattr_t attr_{};
};

void check(int rc, const std::string& program, const char* step) {
    if (rc != 0) throw_errno(rc, "cannot start " + program + ": " + step);
}

void check_working_dir(const std::string& dir) {
    if (dir.empty()) return;
    struct stat info {};
    if (::stat(dir.c_str(), &info) != 0) {
        throw std::runtime_error("working directory does not exist: " + dir);
    }
    if (!S_ISDIR(info.st_mode))
        throw std::runtime_error("working directory is not a directory: " + dir);
}

}  // namespace

LaunchedChild launch(const SpawnOptions& options) {
    if (options.argv.empty() || options.argv.front().empty()) {
        throw std::invalid_argument("cannot start a process: argv is empty");
    }
    const std::string& program = options.argv.front();
    const ChildEnvironment environment(options.env);
    const std::string executable = resolve_program(program, environment.search_path());
    check_working_dir(options.working_dir);

    LaunchedChild child;
    FileActions actions;
    // Child ends stay open in this process only until posix_spawn returns.
    std::vector<UniqueFd> child_ends;
    const auto wire = [&](Stdio mode, int target, UniqueFd* our_end) {
        if (mode == Stdio::inherit) return;
        UniqueFd child_end;
        if (mode == Stdio::null) {
            child_end = open_null(program);
        } else {
            Pipe pipe = make_pipe(program);
            const bool child_reads = target == STDIN_FILENO;
            child_end = std::move(child_reads ? pipe.read : pipe.write);
            *our_end = std::move(child_reads ? pipe.write : pipe.read);
        }
        check(::posix_spawn_file_actions_adddup2(actions.get(), child_end.get(), target), program,
              "dup2");
        child_ends.push_back(std::move(child_end));
    };
    wire(options.stdin_mode, STDIN_FILENO, &child.stdin_write);
    wire(options.stdout_mode, STDOUT_FILENO, &child.stdout_read);
    wire(options.stderr_mode, STDERR_FILENO, &child.stderr_read);
    if (!options.working_dir.empty()) {
        check(::posix_spawn_file_actions_addchdir_np(actions.get(), options.working_dir.c_str()),
              program, "chdir");
    }
    // Descriptors opened elsewhere without O_CLOEXEC must not leak into the child either.
    check(::posix_spawn_file_actions_addclosefrom_np(actions.get(), STDERR_FILENO + 1), program,
          "closefrom");

    Attributes attr;
    sigset_t empty_mask;
    sigemptyset(&empty_mask);
    sigset_t all_signals;
    sigfillset(&all_signals);
    check(::posix_spawnattr_setflags(
              attr.get(), POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF),
          program, "attributes");
    check(::posix_spawnattr_setpgroup(attr.get(), 0), program, "attributes");
    check(::posix_spawnattr_setsigmask(attr.get(), &empty_mask), program, "attributes");
    check(::posix_spawnattr_setsigdefault(attr.get(), &all_signals), program, "attributes");

    std::vector<char*> argv;
    argv.reserve(options.argv.size() + 1);
    for (const auto& arg : options.argv) argv.push_back(const_cast<char*>(arg.c_str()));
    argv.push_back(nullptr);

    pid_t pid = 0;
    const int rc = ::posix_spawn(&pid, executable.c_str(), actions.get(), attr.get(), argv.data(),
                                 environment.data());
    if (rc != 0) throw_errno(rc, "cannot start " + program);
    guard_process_group(pid);
    child.pid = pid;
    return child;
}

}  // namespace mcpproxy::process
