# dnsvizor DHCP interop tests (scripts in tests/interop/dnsvizor_dhcp_*.sh)
nfv_add_interop_test(interop.dnsvizor_dhcp_clients
  SCRIPT ${CMAKE_CURRENT_SOURCE_DIR}/dnsvizor_dhcp_clients.sh DEPENDS nfv-dnsvizor)
