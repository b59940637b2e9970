# DNS serving runtime (nfv_dnsvizor_server) and the nfv-dnsvizor executable.
add_executable(nfv-dnsvizor src/main.cpp)
target_link_libraries(nfv-dnsvizor PRIVATE nfv::platform nfv::warnings)
install(TARGETS nfv-dnsvizor RUNTIME DESTINATION sbin)
target_compile_definitions(nfv-dnsvizor PRIVATE NFV_VERSION="${PROJECT_VERSION}")
