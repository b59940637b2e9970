# dnsvizor interop tests (scripts in tests/interop/dnsvizor_*.sh)
nfv_add_interop_test(interop.dnsvizor_answers SCRIPT ${CMAKE_CURRENT_SOURCE_DIR}/dnsvizor_answers.sh)
# About 2900 dig/kdig runs against two servers for three configs: about 5 minutes.
nfv_add_interop_test(interop.dnsvizor_differential SCRIPT ${CMAKE_CURRENT_SOURCE_DIR}/dnsvizor_differential.sh)
set_tests_properties(interop.dnsvizor_differential PROPERTIES TIMEOUT 900)
nfv_add_interop_test(interop.dnsvizor_malformed SCRIPT ${CMAKE_CURRENT_SOURCE_DIR}/dnsvizor_malformed.sh)
