# Tests of the vpn config parser and option negotiation.
# apps/vpn/src/config/x.cpp -> tests/apps/vpn/config/x_test.cpp.
nfv_add_test(vpn_config_test
  SOURCES
    config/config_lexer_test.cpp
    config/config_loader_test.cpp
    config/options_test.cpp
    config/vpn_config_test.cpp
    config/check_config_test.cpp
    config/push_reply_test.cpp
    config/occ_options_test.cpp
    config/peer_info_test.cpp
    config/server_plan_test.cpp
    config/pool_persist_test.cpp
    config/listen_sockets_test.cpp
  LIBS nfv::vpn_core
  LABEL unit)
