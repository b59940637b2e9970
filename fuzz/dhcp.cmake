# DHCPv4 codec fuzz targets
nfv_add_fuzzer(net_dhcp_message SOURCES net_dhcp_message.cpp LIBS nfv::net)
# dnsvizor DHCP: dnsmasq option text -> DhcpServerSettings
nfv_add_fuzzer(dnsvizor_dhcp_options SOURCES dnsvizor_dhcp_options.cpp LIBS nfv::dnsvizor_dhcp)
