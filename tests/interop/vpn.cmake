# vpn interop tests (scripts in tests/interop/vpn_*.sh)
nfv_add_interop_test(interop.vpn_rig_selftest SCRIPT ${CMAKE_CURRENT_SOURCE_DIR}/vpn_rig_selftest.sh)
nfv_add_interop_test(interop.vpn_client_vs_openvpn SCRIPT ${CMAKE_CURRENT_SOURCE_DIR}/vpn_client_vs_openvpn.sh)
# 24 matrix cells with a 100 MB transfer each, a 35 s renegotiation stream, a reconnection and
# five installer configs: 4 to 4.5 min on the 2-core CI machine, dev and asan builds alike.
set_tests_properties(interop.vpn_client_vs_openvpn PROPERTIES TIMEOUT 600)
