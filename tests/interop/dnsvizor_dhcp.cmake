# dnsvizor DHCP interop tests (scripts in tests/interop/dnsvizor_dhcp_*.sh)
nfv_add_interop_test(interop.dnsvizor_dhcp_clients
  SCRIPT ${CMAKE_CURRENT_SOURCE_DIR}/dnsvizor_dhcp_clients.sh DEPENDS nfv-dnsvizor)
nfv_add_interop_test(interop.dnsvizor_dhcp_crash
  SCRIPT ${CMAKE_CURRENT_SOURCE_DIR}/dnsvizor_dhcp_crash.sh DEPENDS nfv-dnsvizor)
set_tests_properties(interop.dnsvizor_dhcp_crash PROPERTIES TIMEOUT 90)
