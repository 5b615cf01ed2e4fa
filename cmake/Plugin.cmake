# mcpproxy_add_plugin(NAME sources...): a run-time loadable plugin (MODULE, hidden visibility,
# no "lib" prefix) built into the plugins folder that the mcpproxy binary searches.
function(mcpproxy_add_plugin name)
  add_library(${name} MODULE ${ARGN})
  set_target_properties(${name} PROPERTIES
    PREFIX ""
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON
    LIBRARY_OUTPUT_DIRECTORY ${MCPPROXY_PLUGIN_OUTPUT_DIR})
  target_link_libraries(${name} PRIVATE mcpproxy::sdk)
  target_link_options(${name} PRIVATE -Wl,--no-undefined)
  mcpproxy_set_warnings(${name})
  install(TARGETS ${name} LIBRARY DESTINATION ${MCPPROXY_INSTALL_PLUGIN_DIR})
endfunction()
