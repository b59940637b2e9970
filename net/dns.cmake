# DNS codec sources (net/src/dns): names, rdata, records, EDNS, messages, TCP framing.
target_sources(nfv_net PRIVATE
  ${CMAKE_CURRENT_SOURCE_DIR}/src/dns/edns.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/src/dns/error.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/src/dns/header.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/src/dns/message.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/src/dns/name.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/src/dns/name_compressor.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/src/dns/query_view.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/src/dns/rdata.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/src/dns/rdata_text.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/src/dns/record.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/src/dns/reverse.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/src/dns/tcp_framing.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/src/dns/types.cpp
)
