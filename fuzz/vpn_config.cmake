# vpn config fuzz targets: config text (lexer, options, typed config) and PUSH_REPLY.
nfv_add_fuzzer(vpn_config_parse SOURCES vpn_config_parse.cpp LIBS nfv::vpn_core)
nfv_add_fuzzer(vpn_push_reply SOURCES vpn_push_reply.cpp LIBS nfv::vpn_core)
nfv_add_fuzzer(vpn_config_peer_info SOURCES vpn_config_peer_info.cpp LIBS nfv::vpn_core)
