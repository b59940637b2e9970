# nfv_add_test(NAME SOURCES... LIBS... [LABEL unit|interop])
#
# One GoogleTest binary per tested concept group; every TEST becomes its own ctest entry carrying
# the label (default `unit`). Interop tests skip themselves (GTEST_SKIP with a reason) when they
# lack root or /dev/net/tun.
function(nfv_add_test name)
  cmake_parse_arguments(ARG "" "LABEL" "SOURCES;LIBS" ${ARGN})
  if(NOT ARG_LABEL)
    set(ARG_LABEL unit)
  endif()
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_LIBS} GTest::gtest GTest::gtest_main GTest::gmock
                                        nfv::warnings)
  gtest_discover_tests(${name}
    DISCOVERY_MODE PRE_TEST
    PROPERTIES LABELS ${ARG_LABEL}
    WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
endfunction()

# nfv_add_interop_test(NAME SCRIPT path.sh [DEPENDS targets...])
#
# A shell test that runs our binaries against real peers in network namespaces, built on
# tests/interop/lib.sh. It sees NFV_SOURCE_DIR and NFV_BUILD_DIR, carries the label `interop`
# and reports exit code 77 as skipped (lib.sh prints the reason).
function(nfv_add_interop_test name)
  cmake_parse_arguments(ARG "" "SCRIPT" "DEPENDS" ${ARGN})
  add_test(NAME ${name} COMMAND bash ${ARG_SCRIPT})
  set_tests_properties(${name} PROPERTIES
    LABELS interop
    SKIP_RETURN_CODE 77
    TIMEOUT 300
    ENVIRONMENT "NFV_SOURCE_DIR=${PROJECT_SOURCE_DIR};NFV_BUILD_DIR=${PROJECT_BINARY_DIR}")
endfunction()
