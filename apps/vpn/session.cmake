# TLS session, key-method 2, key derivation and data channel sources of nfv_vpn_core.
