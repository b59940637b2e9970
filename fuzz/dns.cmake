# dns fuzz targets
nfv_add_fuzzer(net_dns_message SOURCES net_dns_message.cpp LIBS nfv::net)
nfv_add_fuzzer(net_dns_name SOURCES net_dns_name.cpp LIBS nfv::net)
