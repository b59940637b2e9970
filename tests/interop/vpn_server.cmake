# vpn server-side interop tests (the protocol core against real openvpn clients).
nfv_add_interop_test(interop.vpn_server_session_vs_openvpn
  SCRIPT ${CMAKE_CURRENT_SOURCE_DIR}/vpn_server_session_vs_openvpn.sh)

# nfv-vpn as the server with the configs/vpn/ server.conf files, real openvpn 2.6 clients.
nfv_add_interop_test(interop.vpn_server_vs_openvpn
  SCRIPT ${CMAKE_CURRENT_SOURCE_DIR}/vpn_server_vs_openvpn.sh)

# 100,000 unauthenticated packets and 2,000 replayed resets against a server with a connected
# openvpn client: no state, no reply (or one bounded stateless reply), flat memory.
nfv_add_interop_test(interop.vpn_server_flood
  SCRIPT ${CMAKE_CURRENT_SOURCE_DIR}/vpn_server_flood.sh)

# 1,000 simulated clients (tools/vpn-load) and one real openvpn client on one server process.
nfv_add_interop_test(interop.vpn_server_many_clients
  SCRIPT ${CMAKE_CURRENT_SOURCE_DIR}/vpn_server_many_clients.sh)

# TUN/UDP offloads and mssfix end to end: nfv<->nfv (GSO meets GRO), a --no-offload client and
# a real openvpn client against the offloading server, 100 MB each way, SHA-256 checked.
nfv_add_interop_test(interop.vpn_offload
  SCRIPT ${CMAKE_CURRENT_SOURCE_DIR}/vpn_offload.sh)

# One server process on a UDP and a TCP socket (openvpn 2.7 `local HOST PORT PROTO`), a real
# openvpn client on each, traffic between them through the server.
nfv_add_interop_test(interop.vpn_server_multi_socket
  SCRIPT ${CMAKE_CURRENT_SOURCE_DIR}/vpn_server_multi_socket.sh)
