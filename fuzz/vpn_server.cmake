# vpn server fuzz targets: ServerSession and the stateless reset cookie with untrusted
# datagrams (FakeTls from the session tests, so inputs get past TLS).
nfv_add_fuzzer(vpn_server_session SOURCES vpn_server_session.cpp
               LIBS nfv::vpn_core nfv::platform_testing)
target_include_directories(vpn_server_session PRIVATE ${PROJECT_SOURCE_DIR}/tests/apps/vpn/session)

# The management interface's command parser, and client-config-dir / client-connect output.
nfv_add_fuzzer(vpn_management_session SOURCES vpn_management_session.cpp LIBS nfv::vpn_core)
nfv_add_fuzzer(vpn_client_config SOURCES vpn_client_config.cpp LIBS nfv::vpn_core)
