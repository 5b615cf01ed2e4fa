# mcpproxy_sdk_add_plugin(NAME sources...) for plugin authors building out of tree:
# a MODULE library with hidden visibility and no "lib" prefix, linked against mcpproxy::sdk.
function(mcpproxy_sdk_add_plugin name)
  add_library(${name} MODULE ${ARGN})
  set_target_properties(${name} PROPERTIES
    PREFIX ""
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
  target_link_libraries(${name} PRIVATE mcpproxy::sdk)
  target_link_options(${name} PRIVATE -Wl,--no-undefined)
endfunction()
