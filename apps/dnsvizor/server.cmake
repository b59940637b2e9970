# DNS serving runtime (nfv_dnsvizor_server) and the nfv-dnsvizor executable.
#   cache.*        sans-I/O answer cache (dnsmasq cache semantics)
#   forwarder.*    sans-I/O upstream forwarding (ids, retries, server selection)
#   rebind_filter.* stop-dns-rebind check and doctoring of upstream answers
#   query_engine.* sans-I/O glue: resolver + cache + forwarder, bytes in, actions out
#   dns_service.*  the runtime: UDP/TCP sockets on platform_io moving bytes to the engine
add_library(nfv_dnsvizor_server STATIC
  ${CMAKE_CURRENT_LIST_DIR}/src/server/cache.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/server/forwarder.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/server/rebind_filter.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/server/query_engine.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/server/listen_plan.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/server/dns_service.cpp
)
add_library(nfv::dnsvizor_server ALIAS nfv_dnsvizor_server)
target_include_directories(nfv_dnsvizor_server PUBLIC ${CMAKE_CURRENT_LIST_DIR}/src)
target_link_libraries(nfv_dnsvizor_server PUBLIC nfv::net nfv::platform nfv::platform_io nfv::dnsvizor_dns PRIVATE nfv::warnings)

add_executable(nfv-dnsvizor src/main.cpp)
target_link_libraries(nfv-dnsvizor PRIVATE nfv::dnsvizor_server nfv::dnsvizor_dhcp nfv::dnsvizor_dns nfv::dnsvizor_config
                                           nfv::platform_io nfv::platform nfv::warnings)
# libstdc++ linked statically: only the parts we use are mapped, instead of touching ~1.5 MiB of
# the shared library (resident memory is what dnsmasq users compare).
target_link_options(nfv-dnsvizor PRIVATE -static-libstdc++ -static-libgcc)
install(TARGETS nfv-dnsvizor RUNTIME DESTINATION sbin)
target_compile_definitions(nfv-dnsvizor PRIVATE NFV_VERSION="${PROJECT_VERSION}")
