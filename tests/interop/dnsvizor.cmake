# dnsvizor interop tests (scripts in tests/interop/dnsvizor_*.sh)
