# nfv_add_fuzzer(NAME SOURCES... LIBS...)
#
# Every parser and state-machine entry point has a fuzz target fuzz/<NAME>.cpp that defines
# LLVMFuzzerTestOneInput, and a committed corpus in fuzz/corpus/<NAME>/.
#  * NFV_FUZZ_ENGINE=libfuzzer (clang, `fuzz` preset): builds a real libFuzzer binary.
#  * otherwise: links fuzz/standalone_main.cpp, which replays every file of the corpus once, and
#    registers the ctest `fuzz_replay.<NAME>` (label fuzz-replay), so a crash found once stays fixed.
function(nfv_add_fuzzer name)
  cmake_parse_arguments(ARG "" "" "SOURCES;LIBS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_LIBS} nfv::warnings)
  if(NFV_FUZZ_ENGINE STREQUAL "libfuzzer")
    target_compile_options(${name} PRIVATE -fsanitize=fuzzer)
    target_link_options(${name} PRIVATE -fsanitize=fuzzer)
  else()
    target_sources(${name} PRIVATE ${PROJECT_SOURCE_DIR}/fuzz/standalone_main.cpp)
    if(NFV_BUILD_TESTS)
      add_test(NAME fuzz_replay.${name}
               COMMAND ${name} ${PROJECT_SOURCE_DIR}/fuzz/corpus/${name})
      set_tests_properties(fuzz_replay.${name} PROPERTIES LABELS fuzz-replay)
    endif()
  endif()
endfunction()
