# nfv-dnsvizor DHCPv4: lease model, dnsmasq lease-file codec, sans-I/O lease engine, dnsmasq
# option import, durable lease store and the io_uring runtime (DhcpService).
add_library(nfv_dnsvizor_dhcp STATIC
  ${CMAKE_CURRENT_LIST_DIR}/src/dhcp/lease_file.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/dhcp/lease_engine.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/dhcp/option_values.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/dhcp/option_mapper.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/dhcp/host_files.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/dhcp/lease_script.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/dhcp/script_runner.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/dhcp/lease_journal.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/dhcp/lease_store.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/dhcp/interface_table.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/dhcp/dhcp_service.cpp
)
add_library(nfv::dnsvizor_dhcp ALIAS nfv_dnsvizor_dhcp)
target_include_directories(nfv_dnsvizor_dhcp PUBLIC ${CMAKE_CURRENT_LIST_DIR}/src)
target_link_libraries(nfv_dnsvizor_dhcp PUBLIC nfv::net nfv::platform nfv::platform_io
                                        PRIVATE nfv::warnings)
