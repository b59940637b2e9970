# nfv::warnings: the warning set every nfv target links PRIVATE (consumers do not inherit it).
add_library(nfv_warnings INTERFACE)
add_library(nfv::warnings ALIAS nfv_warnings)
target_compile_options(nfv_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion -Wnon-virtual-dtor
  -Wold-style-cast -Wcast-align -Woverloaded-virtual -Wnull-dereference -Wimplicit-fallthrough)
if(NFV_WERROR)
  target_compile_options(nfv_warnings INTERFACE -Werror)
endif()
