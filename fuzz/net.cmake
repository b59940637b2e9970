# net fuzz targets (one per checked view family, one for address/CIDR text).
nfv_add_fuzzer(net_ipv4 SOURCES net_ipv4.cpp LIBS nfv::net)
nfv_add_fuzzer(net_ipv6 SOURCES net_ipv6.cpp LIBS nfv::net)
nfv_add_fuzzer(net_udp_tcp_icmp SOURCES net_udp_tcp_icmp.cpp LIBS nfv::net)
nfv_add_fuzzer(net_ip_address_parse SOURCES net_ip_address_parse.cpp LIBS nfv::net)
nfv_add_fuzzer(net_offload SOURCES net_offload.cpp LIBS nfv::net)
