# vpn fuzz targets (corpora in fuzz/corpus/<target>/, seeded with OpenVPN's test_pkt.c packets).
nfv_add_fuzzer(vpn_control_packet SOURCES vpn_control_packet.cpp LIBS nfv::vpn_core)
nfv_add_fuzzer(vpn_tls_crypt_unwrap SOURCES vpn_tls_crypt_unwrap.cpp LIBS nfv::vpn_core)
# The fixed key of vpn_tls_crypt_unwrap is OpenVPN's test key, shared with the unit tests.
target_include_directories(vpn_tls_crypt_unwrap PRIVATE ${PROJECT_SOURCE_DIR}/tests/apps/vpn/proto)
nfv_add_fuzzer(vpn_tls_crypt_v2_key SOURCES vpn_tls_crypt_v2_key.cpp LIBS nfv::vpn_core)
target_include_directories(vpn_tls_crypt_v2_key PRIVATE ${PROJECT_SOURCE_DIR}/tests/apps/vpn/proto)
