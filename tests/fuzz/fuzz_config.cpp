// Config parsing from text, through the real file loader (the text is served from a memfd): every
// input either loads or fails with a ConfigError; anything else thrown is a finding. A config
// that loads must also print (redacted) without throwing.
#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <string>

#include "kernel/config/config_error.hpp"
#include "kernel/config/config_loader.hpp"
#include "kernel/config/config_printer.hpp"

namespace {

int config_fd() {
    static const int fd = [] {
        const int f = ::memfd_create("fuzz-config.json", 0);
        if (f < 0) std::abort();
        return f;
    }();
    return fd;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const int fd = config_fd();
    if (::ftruncate(fd, 0) != 0 || ::pwrite(fd, data, size, 0) != static_cast<ssize_t>(size)) {
        std::abort();
    }
    const std::string path = "/proc/self/fd/" + std::to_string(fd);
    try {
        const auto config = mcpproxy::config::load_config_file(path);
        (void)mcpproxy::config::effective_config_redacted(config).dump();
    } catch (const mcpproxy::config::ConfigError&) {
        // the expected way to refuse a config
    }
    return 0;
}
