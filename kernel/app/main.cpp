#include "kernel/app/cli.hpp"
#include "kernel/process/orphan_guard.hpp"

int main(int argc, char** argv) {
    // Children (stdio upstreams, tunnel daemons) end with mcpproxy, also on SIGKILL.
    mcpproxy::process::enable_orphan_guard();
    return mcpproxy::app::run_cli(argc, argv);
}
