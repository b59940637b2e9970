# Local data engine: hosts files, local records, QueryResolver implementation (nfv_dnsvizor_dns).
