# TLS session, key-method 2, key derivation and data channel sources of nfv_vpn_core.
target_sources(nfv_vpn_core PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/src/proto/data_channel.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/proto/key_derivation.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/proto/key_method2.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/proto/tls_engine.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/proto/key_state.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/proto/keepalive.cpp
)
target_link_libraries(nfv_vpn_core PUBLIC OpenSSL::SSL)
