# dnsvizor interop tests (scripts in tests/interop/dnsvizor_*.sh)
nfv_add_interop_test(interop.dnsvizor_answers SCRIPT ${CMAKE_CURRENT_SOURCE_DIR}/dnsvizor_answers.sh)
