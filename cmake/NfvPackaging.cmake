# Install layout and the Debian package (cpack -G DEB).
#   /usr/sbin/nfv-*                      binaries (install() next to each executable)
#   /usr/lib/systemd/system/*.service    hardened units (packaging/systemd/)
#   /usr/lib/sysusers.d/nfv.conf         the service users
#   /etc/nfv/dnsvizor.conf               default config (a conffile)
#   /usr/share/doc/nfv/examples/         configs/ as shipped in the repository
#   /usr/share/man/man8/                 man pages, when generated (issue 9)
include(GNUInstallDirs)

install(DIRECTORY ${PROJECT_SOURCE_DIR}/packaging/systemd/
        DESTINATION lib/systemd/system
        FILES_MATCHING PATTERN "*.service")
install(FILES ${PROJECT_SOURCE_DIR}/packaging/nfv.sysusers
        DESTINATION lib/sysusers.d RENAME nfv.conf)
install(FILES ${PROJECT_SOURCE_DIR}/packaging/dnsvizor.conf
        DESTINATION /etc/nfv)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/configs/
        DESTINATION ${CMAKE_INSTALL_DOCDIR}/examples)

set(CPACK_GENERATOR "DEB")
set(CPACK_PACKAGE_NAME "nfv")
set(CPACK_PACKAGE_VENDOR "nfv")
set(CPACK_PACKAGE_CONTACT "nfv maintainers <nfv@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "Network functions: OpenVPN-compatible VPN, dnsmasq-compatible DNS/DHCP, TLS proxy")
set(CPACK_PACKAGING_INSTALL_PREFIX "/usr")
set(CPACK_DEBIAN_PACKAGE_SECTION "net")
set(CPACK_DEBIAN_PACKAGE_ARCHITECTURE "amd64")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
# Runtime libraries of Debian 12 (shlibdeps would need dpkg-shlibdeps on the build host).
set(CPACK_DEBIAN_PACKAGE_DEPENDS
    "libc6 (>= 2.36), libstdc++6 (>= 12), libssl3 (>= 3.0), liburing2, libc-ares2, systemd")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    "${PROJECT_SOURCE_DIR}/packaging/debian/postinst;${PROJECT_SOURCE_DIR}/packaging/debian/postrm;${PROJECT_SOURCE_DIR}/packaging/debian/conffiles")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION TRUE)
include(CPack)
