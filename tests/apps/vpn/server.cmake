# Server session, push reply builder and the client/server simulation over a lossy wire.
nfv_add_test(vpn_server_session_test
  SOURCES
    session/server_session_test.cpp
    session/push_reply_builder_test.cpp
    session/simulation_test.cpp
    session/reset_cookie_test.cpp
    session/address_pool_test.cpp
  LIBS nfv::vpn_runtime nfv::platform_testing
  LABEL unit)

# Interop probe: one ServerSession on loopback for a real openvpn client
# (tests/interop/vpn_server_session_vs_openvpn.sh).
add_executable(vpn_server_session_probe session/server_session_probe.cpp)
target_link_libraries(vpn_server_session_probe PRIVATE nfv::vpn_runtime nfv::warnings)

# The sans-I/O pieces of the server runtime (apps/vpn/src/server/): routing table, client
# registry and float, client addresses and pool persistence, client-config-dir files.
nfv_add_test(vpn_server_core_test
  SOURCES server/client_routes_test.cpp server/client_registry_test.cpp
    server/client_addresses_test.cpp server/persist_schedule_test.cpp
    server/client_config_test.cpp server/status_file_test.cpp
    server/server_scripts_test.cpp server/closed_sessions_test.cpp
    server/management_test.cpp
  LIBS nfv::vpn_core nfv::platform_testing
  LABEL unit)

# The server TUN's addresses and routes from the server plan.
nfv_add_test(vpn_server_tunnel_test
  SOURCES server/server_tunnel_test.cpp
  LIBS nfv::vpn_runtime
  LABEL unit)
