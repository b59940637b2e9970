# dnsvizor DHCP interop tests (scripts in tests/interop/dnsvizor_dhcp_*.sh)
