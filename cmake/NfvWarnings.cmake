# nfv::warnings: the warning set every nfv target links PRIVATE (consumers do not inherit it).
add_library(nfv_warnings INTERFACE)
add_library(nfv::warnings ALIAS nfv_warnings)
target_compile_options(nfv_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion -Wnon-virtual-dtor
  -Wold-style-cast -Wcast-align -Woverloaded-virtual -Wimplicit-fallthrough)
# -Wnull-dereference only with clang: GCC 12 reports it at -O2 from inside libstdc++
# (std::variant moves, std::streambuf iterators) on paths that cannot be taken, so the release
# build would fail on library code we cannot change. At -O0 GCC does not run the analysis at all.
if(CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  target_compile_options(nfv_warnings INTERFACE -Wnull-dereference)
endif()
if(NFV_WERROR)
  target_compile_options(nfv_warnings INTERFACE -Werror)
endif()
