#include "kernel/app/cli.hpp"

int main(int argc, char** argv) {
    return mcpproxy::app::run_cli(argc, argv);
}
