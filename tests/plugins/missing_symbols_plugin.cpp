// A shared object that is not an mcpproxy plugin: it exports no entry points.
extern "C" __attribute__((visibility("default"))) int some_unrelated_function() {
    return 42;
}
