# Tests of the vpn TLS session, key derivation and data channel.
nfv_add_test(vpn_session_test
  SOURCES
    proto/data_channel_test.cpp
    proto/key_derivation_test.cpp
    proto/key_method2_test.cpp
    proto/tls_engine_test.cpp
    proto/key_state_test.cpp
    proto/keepalive_test.cpp
  LIBS nfv::vpn_core nfv::platform_testing
  LABEL unit)
