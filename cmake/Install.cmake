# What `cmake --install` lays out besides the targets (GNU install dirs, relative to the prefix):
#   bin/mcpproxy                                 kernel/app
#   <libdir>/mcpproxy/plugins/*.so               cmake/Plugin.cmake (found relative to bin/)
#   include/mcpproxy/sdk, <libdir>/cmake/...     sdk/ (component "dev")
#   share/doc/mcpproxy/                          the guides and the example configs
#   share/mcpproxy/mcp_config.json               the starting config the Debian package copies to /etc
#   lib/systemd/system/mcpproxy.service          the systemd unit, lib/sysusers.d/mcpproxy.conf its user
# The web UI is compiled into the binary (kernel/mgmt/ui_embed.cmake): there are no asset files.
install(FILES README.md DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(DIRECTORY docs/ DESTINATION ${CMAKE_INSTALL_DOCDIR}
        PATTERN "dev" EXCLUDE)
install(FILES examples/config/quickstart.json DESTINATION ${CMAKE_INSTALL_DOCDIR}/examples)
install(FILES packaging/mcp_config.json DESTINATION ${CMAKE_INSTALL_DATADIR}/mcpproxy)
install(FILES packaging/mcp_config.json DESTINATION ${CMAKE_INSTALL_DOCDIR}/examples)
install(FILES packaging/mcpproxy.service DESTINATION lib/systemd/system)
install(FILES packaging/mcpproxy.sysusers DESTINATION lib/sysusers.d RENAME mcpproxy.conf)
