# vpn interop tests (scripts in tests/interop/vpn_*.sh)
