# dnsvizor config fuzz targets
# dnsvizor_config_file: bytes as a dnsmasq config file through reader + mapper + to_json.
nfv_add_fuzzer(dnsvizor_config_file
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/dnsvizor_config_file.cpp
  LIBS nfv::dnsvizor_config nlohmann_json::nlohmann_json)
