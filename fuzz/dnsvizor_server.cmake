# dnsvizor DNS server core fuzz target (apps/dnsvizor/src/server): client messages, upstream
# replies and clock steps through the QueryEngine (cache + forwarder).
nfv_add_fuzzer(dnsvizor_server_engine
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/dnsvizor_server_engine.cpp
  LIBS nfv::dnsvizor_server nfv::platform_testing)
