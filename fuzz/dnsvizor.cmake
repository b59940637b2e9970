# dnsvizor fuzz targets: the local data engine's parsers and its query entry point.
nfv_add_fuzzer(dnsvizor_hosts_file SOURCES dnsvizor_hosts_file.cpp LIBS nfv::dnsvizor_dns)
nfv_add_fuzzer(dnsvizor_resolv_conf SOURCES dnsvizor_resolv_conf.cpp LIBS nfv::dnsvizor_dns)
nfv_add_fuzzer(dnsvizor_local_resolver SOURCES dnsvizor_local_resolver.cpp LIBS nfv::dnsvizor_dns)
