# OpenVPN config parsing and option negotiation sources of nfv_vpn_core.
target_sources(nfv_vpn_core PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/src/config/config_error.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/config/config_lexer.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/config/config_loader.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/config/config_values.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/config/options.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/config/vpn_config.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/config/network_directives.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/config/client_directives.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/config/server_directives.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/config/check_config.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/config/push_reply.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/config/occ_options.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/config/peer_info.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/config/server_plan.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/config/pool_persist.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/config/listen_sockets.cpp
)
