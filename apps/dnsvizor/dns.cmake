# Local data engine: hosts files, local records, QueryResolver implementation (nfv_dnsvizor_dns).
add_library(nfv_dnsvizor_dns STATIC
  ${CMAKE_CURRENT_LIST_DIR}/src/dns/address_table.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/dns/domain_match.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/dns/hosts_file.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/dns/hosts_loader.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/dns/local_records.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/dns/local_resolver.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/dns/resolv_conf.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/dns/synth_domain.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/dns/upstream_selector.cpp
)
add_library(nfv::dnsvizor_dns ALIAS nfv_dnsvizor_dns)
target_include_directories(nfv_dnsvizor_dns PUBLIC ${CMAKE_CURRENT_LIST_DIR}/src)
target_link_libraries(nfv_dnsvizor_dns PUBLIC nfv::net nfv::platform PRIVATE nfv::warnings)
