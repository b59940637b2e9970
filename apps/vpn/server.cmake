# Server side of nfv_vpn_core: the per-client ServerSession, the PUSH_REPLY builder and the
# stateless reset cookie.
target_sources(nfv_vpn_core PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/src/session/server_session.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/session/push_reply_builder.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/session/reset_cookie.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/session/address_pool.cpp
)
# Server runtime pieces that are still sans-I/O (apps/vpn/src/server/): routing table, client
# registry and float, client addresses, pool-persist schedule, client-config-dir files.
target_sources(nfv_vpn_core PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/src/server/client_routes.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/server/client_registry.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/server/client_addresses.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/server/persist_schedule.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/server/client_config.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/server/status_file.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/server/server_scripts.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/server/closed_sessions.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/server/management.cpp
)
