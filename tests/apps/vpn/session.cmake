# Tests of the vpn TLS session, key derivation and data channel.
