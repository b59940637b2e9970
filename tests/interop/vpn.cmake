# vpn interop tests (scripts in tests/interop/vpn_*.sh)
nfv_add_interop_test(interop.vpn_rig_selftest SCRIPT ${CMAKE_CURRENT_SOURCE_DIR}/vpn_rig_selftest.sh)
nfv_add_interop_test(interop.vpn_client_vs_openvpn SCRIPT ${CMAKE_CURRENT_SOURCE_DIR}/vpn_client_vs_openvpn.sh)
