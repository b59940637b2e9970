# dnsmasq-compatible config import (library nfv_dnsvizor_config): command line and config
# files -> typed DNS/process settings plus the DHCP options verbatim.
find_package(nlohmann_json 3 REQUIRED)
add_library(nfv_dnsvizor_config STATIC
  ${CMAKE_CURRENT_LIST_DIR}/src/config/config_error.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/config/config_files.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/config/config_json.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/config/invocation.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/config/local_data_mapper.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/config/mapper.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/config/option_table.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/config/reader.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/config/reverse_zone.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/config/value_syntax.cpp)
add_library(nfv::dnsvizor_config ALIAS nfv_dnsvizor_config)
target_include_directories(nfv_dnsvizor_config PUBLIC ${CMAKE_CURRENT_LIST_DIR}/src)
target_link_libraries(nfv_dnsvizor_config
  PUBLIC nfv::net nfv::platform
  PRIVATE nlohmann_json::nlohmann_json nfv::warnings)
