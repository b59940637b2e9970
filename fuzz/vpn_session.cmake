# vpn session fuzz targets: data-channel decryption, key-method-2 messages
# (corpora in fuzz/corpus/<target>/; seed generators in tests/apps/vpn/data/).
nfv_add_fuzzer(vpn_data_decrypt SOURCES vpn_data_decrypt.cpp
               LIBS nfv::vpn_core nfv::platform_testing)
nfv_add_fuzzer(vpn_key_method2 SOURCES vpn_key_method2.cpp LIBS nfv::vpn_core)
