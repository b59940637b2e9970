# DHCPv4 codec fuzz targets
nfv_add_fuzzer(net_dhcp_message SOURCES net_dhcp_message.cpp LIBS nfv::net)
# dnsvizor DHCP: dnsmasq option text -> DhcpServerSettings; the lease file; the lease engine
nfv_add_fuzzer(dnsvizor_dhcp_options SOURCES dnsvizor_dhcp_options.cpp LIBS nfv::dnsvizor_dhcp)
nfv_add_fuzzer(dnsvizor_dhcp_lease_file SOURCES dnsvizor_dhcp_lease_file.cpp
               LIBS nfv::dnsvizor_dhcp)
nfv_add_fuzzer(dnsvizor_dhcp_engine SOURCES dnsvizor_dhcp_engine.cpp LIBS nfv::dnsvizor_dhcp)
