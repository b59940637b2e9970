# OpenVPN config parsing and option negotiation sources of nfv_vpn_core.
target_sources(nfv_vpn_core PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/src/config/config_error.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/config/config_lexer.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/config/config_loader.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/config/options.cpp
)
