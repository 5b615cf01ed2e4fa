# CPack: Debian packages from this build tree (`cpack -G DEB` in the build folder).
#   mcpproxy_<version>_<arch>.deb      the binary, the plugins, docs, example config, systemd unit
#   mcpproxy-dev_<version>_<arch>.deb  the plugin SDK headers and the CMake package mcpproxy-sdk
# Runtime dependencies come from dpkg-shlibdeps over the ELF files, so they are exactly the Debian
# libraries the binary and plugins link.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME mcpproxy)
set(CPACK_PACKAGE_VENDOR "mcpproxy")
set(CPACK_PACKAGE_CONTACT "mcpproxy maintainers <mcpproxy@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "One MCP endpoint in front of many MCP servers, safe behind a tunnel")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)

set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL runtime dev)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)

set(CPACK_DEBIAN_RUNTIME_PACKAGE_NAME mcpproxy)
set(CPACK_DEBIAN_RUNTIME_PACKAGE_CONTROL_EXTRA
    ${PROJECT_SOURCE_DIR}/packaging/debian/postinst
    ${PROJECT_SOURCE_DIR}/packaging/debian/prerm
    ${PROJECT_SOURCE_DIR}/packaging/debian/postrm)
set(CPACK_DEBIAN_RUNTIME_PACKAGE_CONTROL_STRICT_PERMISSION ON)

set(CPACK_DEBIAN_DEV_PACKAGE_NAME mcpproxy-dev)
set(CPACK_DEBIAN_DEV_PACKAGE_SECTION libdevel)
# The SDK is headers only; plugins built against it include Boost.DLL.
set(CPACK_DEBIAN_DEV_PACKAGE_SHLIBDEPS OFF)
set(CPACK_DEBIAN_DEV_PACKAGE_DEPENDS "libboost1.81-dev")
set(CPACK_DEBIAN_DEV_PACKAGE_SUGGESTS "mcpproxy (= ${PROJECT_VERSION})")

include(CPack)
