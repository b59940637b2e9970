# dnsmasq-compatible config import (library nfv_dnsvizor_config).
