# DHCPv4 codec sources (net/src/dhcp): message header, options and typed option values.
target_sources(nfv_net PRIVATE
  ${CMAKE_CURRENT_SOURCE_DIR}/src/dhcp/message.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/src/dhcp/options.cpp
)
