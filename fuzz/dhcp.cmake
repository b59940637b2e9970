# DHCPv4 codec fuzz targets
nfv_add_fuzzer(net_dhcp_message SOURCES net_dhcp_message.cpp LIBS nfv::net)
